package sim

// SetMotcuaURLs changes where confirmations go and where payers return,
// for a motcua whose address is known only once it listens. Call it before
// any payment is made: it is not synchronised with them.
func (s *Sim) SetMotcuaURLs(callback, back string) {
	s.cfg.CallbackURL, s.cfg.ReturnURL = callback, back
}

// Transactions returns the transactions the simulator holds, oldest first.
func (s *Sim) Transactions() []*Txn {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.snapshot().Transactions
}

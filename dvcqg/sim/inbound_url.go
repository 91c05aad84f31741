package sim

// SetInboundURL changes where forwarded messages go (motcua's endpoint),
// for a motcua whose address is known only once it listens. Call it before
// forwarding anything: it is not synchronised with forwarding.
func (s *Sim) SetInboundURL(url string) { s.cfg.InboundURL = url }

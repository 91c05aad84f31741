package service

import "time"

// Now is the service's clock (the configured one, to the millisecond), so
// that pages show countdowns against the same time the rules use.
func (s *Service) Now() time.Time { return s.now() }

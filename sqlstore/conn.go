package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// pconn is one pinned connection with its prepared statements. Preparing
// once per connection — transaction control included — matters: parsing
// "BEGIN" or a query again for every request costs more than running it.
type pconn struct {
	c     *sql.Conn
	stmts map[string]*sql.Stmt
}

func newPconn(ctx context.Context, db *sql.DB) (*pconn, error) {
	c, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	return &pconn{c: c, stmts: map[string]*sql.Stmt{}}, nil
}

// maxStmts bounds the statements kept per connection: queries built from
// filters (inboxes, searches, drill-downs) have many shapes.
const maxStmts = 256

// stmt returns the statement for query, preparing it on first use.
func (p *pconn) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := p.stmts[query]; ok {
		return s, nil
	}
	if len(p.stmts) >= maxStmts {
		for q, s := range p.stmts { // rare: start the cache afresh
			s.Close()
			delete(p.stmts, q)
		}
	}
	s, err := p.c.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare %q: %w", query, err)
	}
	p.stmts[query] = s
	return s, nil
}

// control runs a prepared statement without arguments or results
// (BEGIN, SAVEPOINT, COMMIT…).
func (p *pconn) control(ctx context.Context, query string) error {
	s, err := p.stmt(ctx, query)
	if err != nil {
		return err
	}
	_, err = s.ExecContext(ctx)
	return err
}

func (p *pconn) close() error {
	for _, s := range p.stmts {
		s.Close()
	}
	return p.c.Close()
}

// readerPool hands out reader connections, opening up to max of them.
type readerPool struct {
	db   *sql.DB
	idle chan *pconn
	mu   sync.Mutex
	open int
	max  int
	// cacheKiB, when set, is the page cache of the pool's connections.
	cacheKiB int
}

func newReaderPool(db *sql.DB, max int) *readerPool {
	return &readerPool{db: db, idle: make(chan *pconn, max), max: max}
}

// openConn opens a connection for the pool and sets its page cache.
func (p *readerPool) openConn(ctx context.Context) (*pconn, error) {
	c, err := newPconn(ctx, p.db)
	if err != nil || p.cacheKiB == 0 {
		return c, err
	}
	// The pools share their driver connections (database/sql's): each
	// sets its own size on every connection it takes.
	if _, err := c.c.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", p.cacheKiB)); err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}

// get returns an idle connection, opens a new one if the pool is not full,
// or waits for one.
func (p *readerPool) get(ctx context.Context) (*pconn, error) {
	if c, err := p.idleOrNew(ctx); c != nil || err != nil {
		return c, err
	}
	select {
	case c := <-p.idle:
		return c, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// tryGet is get without waiting: nil when every connection is in use.
func (p *readerPool) tryGet(ctx context.Context) *pconn {
	c, _ := p.idleOrNew(ctx)
	return c
}

// idleOrNew returns an idle connection, or a new one if the pool is not
// full; nil and no error when every connection is in use.
func (p *readerPool) idleOrNew(ctx context.Context) (*pconn, error) {
	select {
	case c := <-p.idle:
		return c, nil
	default:
	}
	p.mu.Lock()
	if p.open >= p.max {
		p.mu.Unlock()
		return nil, nil
	}
	p.open++
	p.mu.Unlock()
	c, err := p.openConn(ctx)
	if err != nil {
		p.mu.Lock()
		p.open--
		p.mu.Unlock()
		return nil, err
	}
	return c, nil
}

// put returns a healthy connection to the pool.
func (p *readerPool) put(c *pconn) { p.idle <- c }

// discard closes a connection left in an unknown state.
func (p *readerPool) discard(c *pconn) {
	c.close()
	p.mu.Lock()
	p.open--
	p.mu.Unlock()
}

// closeAll closes the idle connections (called once no reader is active).
func (p *readerPool) closeAll() {
	for {
		select {
		case c := <-p.idle:
			c.close()
		default:
			return
		}
	}
}

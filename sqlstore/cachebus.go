package sqlstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/motcua/motcua"
)

// CacheBus returns the store's motcua.CacheBus: on PostgreSQL, where
// several instances share the database, invalidations travel by
// LISTEN/NOTIFY; on SQLite, which one process serves, it returns nil.
func (db *DB) CacheBus(ctx context.Context) (motcua.CacheBus, error) {
	if db.dialect != postgresDialect {
		return nil, nil
	}
	// Channels are per database, not per schema: name it after the schema
	// so that two provinces (or two tests) in one database stay apart.
	var schema string
	if err := db.pg.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return nil, fmt.Errorf("cache bus: %w", err)
	}
	h := fnv.New32a()
	h.Write([]byte(schema))
	origin := make([]byte, 8)
	rand.Read(origin)
	return &pgBus{db: db, channel: fmt.Sprintf("motcua_cache_%08x", h.Sum32()), origin: hex.EncodeToString(origin)}, nil
}

// pgBus is the CacheBus of PostgreSQL. A notification's payload is the
// origin (so that an instance skips its own) and then one "kind\tkey" line
// per key.
type pgBus struct {
	db      *DB
	channel string
	origin  string

	mu      sync.Mutex
	pending []*pubReq // waiting for the round being sent
	sending bool      // a sendPending runs
}

// maxPayload keeps a notification under PostgreSQL's 8000-byte limit.
const maxPayload = 7000

// Publish implements motcua.CacheBus: it returns once a NOTIFY holding
// the keys has committed (one NOTIFY per 7000 bytes of keys).
//
// Publishes are coalesced: while one is being sent, the ones that arrive
// wait and then go together, in order. Each NOTIFY is a commit, and
// PostgreSQL lets only one notifying transaction of a database commit at a
// time; one per change, from every request that changed a dossier at once,
// queued behind each other (on a busy machine past the callers' time-out,
// which left other instances' caches stale until their time to live).
func (b *pgBus) Publish(ctx context.Context, keys ...motcua.CacheKey) error {
	for _, k := range keys {
		if strings.ContainsAny(k.Kind+k.Key, "\t\n") || len(k.Kind)+len(k.Key) > maxPayload/2 {
			return fmt.Errorf("publish cache invalidation: key %q/%q cannot be sent", k.Kind, k.Key)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	r := &pubReq{keys: keys, done: make(chan error, 1)}
	b.mu.Lock()
	b.pending = append(b.pending, r)
	if !b.sending {
		b.sending = true
		go b.sendPending()
	}
	b.mu.Unlock()
	select {
	case err := <-r.done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("publish cache invalidation: %w", ctx.Err())
	}
}

// pubReq is a Publish waiting for its keys to be sent.
type pubReq struct {
	keys []motcua.CacheKey
	done chan error
}

// pubTimeout bounds the sending of one round of publishes (a caller may
// stop waiting earlier).
const pubTimeout = 30 * time.Second

// sendPending sends the waiting publishes, round after round, until none
// is left.
func (b *pgBus) sendPending() {
	for {
		b.mu.Lock()
		round := b.pending
		b.pending = nil
		if len(round) == 0 {
			b.sending = false
			b.mu.Unlock()
			return
		}
		b.mu.Unlock()
		var keys []motcua.CacheKey
		for _, r := range round {
			keys = append(keys, r.keys...)
		}
		ctx, cancel := context.WithTimeout(context.Background(), pubTimeout)
		err := b.send(ctx, keys)
		cancel()
		for _, r := range round {
			r.done <- err
		}
	}
}

// send notifies keys, in order, 7000 bytes at most per NOTIFY.
func (b *pgBus) send(ctx context.Context, keys []motcua.CacheKey) error {
	var buf strings.Builder
	flush := func() error {
		if buf.Len() == 0 {
			return nil
		}
		_, err := b.db.pg.ExecContext(ctx, `SELECT pg_notify($1, $2)`, b.channel, b.origin+buf.String())
		buf.Reset()
		if err != nil {
			return fmt.Errorf("publish cache invalidation: %w", err)
		}
		return nil
	}
	for _, k := range keys {
		if buf.Len()+len(k.Kind)+len(k.Key)+2 > maxPayload {
			if err := flush(); err != nil {
				return err
			}
		}
		buf.WriteString("\n" + k.Kind + "\t" + k.Key)
	}
	return flush()
}

// Listen implements motcua.CacheBus on a connection of its own, connecting
// again (after 1 s, then up to 30 s apart) whenever it breaks.
func (b *pgBus) Listen(ctx context.Context, drop func(motcua.CacheKey), lost func()) error {
	pause := time.Second
	for {
		listened, err := b.listenOnce(ctx, drop, lost)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if listened {
			pause = time.Second
		}
		slog.Warn("cache invalidations from other instances interrupted; connecting again",
			"err", err, "in", pause.String())
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pause):
		}
		pause = min(2*pause, 30*time.Second)
	}
}

// listenOnce connects, listens, tells lost (anything published before
// now was missed), and passes the keys on until the connection breaks;
// listened says whether it got that far.
func (b *pgBus) listenOnce(ctx context.Context, drop func(motcua.CacheKey), lost func()) (listened bool, err error) {
	conn, err := pgx.ConnectConfig(ctx, b.db.pgcfg.Copy())
	if err != nil {
		return false, err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{b.channel}.Sanitize()); err != nil {
		return false, err
	}
	lost()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return true, err
		}
		origin, lines, _ := strings.Cut(n.Payload, "\n")
		if origin == b.origin {
			continue
		}
		for line := range strings.SplitSeq(lines, "\n") {
			kind, key, ok := strings.Cut(line, "\t")
			if ok {
				drop(motcua.CacheKey{Kind: kind, Key: key})
			}
		}
	}
}

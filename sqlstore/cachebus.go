package sqlstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"log/slog"
	"strings"
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
}

// maxPayload keeps a notification under PostgreSQL's 8000-byte limit.
const maxPayload = 7000

// Publish implements motcua.CacheBus: one NOTIFY per 7000 bytes of keys,
// delivered to the listeners when it commits (at once: it runs alone).
func (b *pgBus) Publish(ctx context.Context, keys ...motcua.CacheKey) error {
	var buf strings.Builder
	send := func() error {
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
		if strings.ContainsAny(k.Kind+k.Key, "\t\n") || len(k.Kind)+len(k.Key) > maxPayload/2 {
			return fmt.Errorf("publish cache invalidation: key %q/%q cannot be sent", k.Kind, k.Key)
		}
		if buf.Len()+len(k.Kind)+len(k.Key)+2 > maxPayload {
			if err := send(); err != nil {
				return err
			}
		}
		buf.WriteString("\n" + k.Kind + "\t" + k.Key)
	}
	return send()
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

package sqlstore

import (
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

const feedbackColumns = `id, code, secret_hash, channel, name, contact, content, dossier_code, dossier_id, consent, received_at,
	received_by, state, kind, topic, agency_id, assignee_id, repeat_of, classified_at, classified_by, answer, answered_at,
	answered_by, published_at, published_by, public_content, public_answer, answer_level, rated_at, classify_due_at,
	answer_due_at, publish_due_at, version`

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// CreateFeedback implements motcua.FeedbackStore. The code is PA and the
// id, set in the same transaction (a placeholder unique to the row holds
// the column until then).
func (t *tx) CreateFeedback(_ ctxT, f *motcua.Feedback) error {
	hash := hex.EncodeToString(f.SecretHash)
	id, err := t.insert(`INSERT INTO feedback (code, secret_hash, channel, name, contact, content, dossier_code, dossier_id, consent,
		received_at, received_by, state, kind, topic, agency_id, assignee_id, repeat_of, classified_at, classified_by, answer,
		answered_at, answered_by, published_at, published_by, public_content, public_answer, answer_level, rated_at,
		classify_due_at, answer_due_at, publish_due_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
		"new:"+hash, hash, string(f.Channel), f.Name, f.Contact, f.Content, f.DossierCode, f.DossierID, b2i(f.Consent),
		f.ReceivedAt.UnixMilli(), f.ReceivedBy, string(f.State), string(f.Kind), f.Topic, f.AgencyID, f.AssigneeID, f.RepeatOf,
		ms(f.ClassifiedAt), f.ClassifiedBy, f.Answer, ms(f.AnsweredAt), f.AnsweredBy, ms(f.PublishedAt), f.PublishedBy,
		f.PublicContent, f.PublicAnswer, f.AnswerLevel, ms(f.RatedAt), f.ClassifyDueAt.UnixMilli(), f.AnswerDueAt.UnixMilli(),
		ms(f.PublishDueAt))
	if err != nil {
		return conflict(err, "feedback_exists", "Phản ánh, kiến nghị này đã được ghi nhận.")
	}
	code := fmt.Sprintf("PA%06d", id)
	if _, err := t.exec(`UPDATE feedback SET code = ? WHERE id = ?`, code, id); err != nil {
		return err
	}
	f.ID, f.Code, f.Version = id, code, 1
	return nil
}

func scanFeedback(sc interface{ Scan(...any) error }) (*motcua.Feedback, error) {
	var f motcua.Feedback
	var hash, channel, state, kind string
	var consent int
	var received, classifyDue, answerDue int64
	var classified, answered, published, rated, publishDue sql.NullInt64
	if err := sc.Scan(&f.ID, &f.Code, &hash, &channel, &f.Name, &f.Contact, &f.Content, &f.DossierCode, &f.DossierID, &consent,
		&received, &f.ReceivedBy, &state, &kind, &f.Topic, &f.AgencyID, &f.AssigneeID, &f.RepeatOf, &classified, &f.ClassifiedBy,
		&f.Answer, &answered, &f.AnsweredBy, &published, &f.PublishedBy, &f.PublicContent, &f.PublicAnswer, &f.AnswerLevel,
		&rated, &classifyDue, &answerDue, &publishDue, &f.Version); err != nil {
		return nil, err
	}
	var err error
	if f.SecretHash, err = hex.DecodeString(hash); err != nil {
		return nil, fmt.Errorf("feedback %d secret hash: %w", f.ID, err)
	}
	f.Channel, f.State, f.Kind, f.Consent = motcua.FeedbackChannel(channel), motcua.FeedbackState(state), motcua.FeedbackKind(kind), consent == 1
	f.ReceivedAt = time.UnixMilli(received).UTC()
	f.ClassifiedAt, f.AnsweredAt, f.PublishedAt, f.RatedAt = fromMS(classified), fromMS(answered), fromMS(published), fromMS(rated)
	f.ClassifyDueAt, f.AnswerDueAt, f.PublishDueAt = time.UnixMilli(classifyDue).UTC(), time.UnixMilli(answerDue).UTC(), fromMS(publishDue)
	return &f, nil
}

func (t *tx) oneFeedback(where string, arg any) (*motcua.Feedback, error) {
	row, err := t.queryRow(`SELECT `+feedbackColumns+` FROM feedback WHERE `+where, arg)
	if err != nil {
		return nil, err
	}
	f, err := scanFeedback(row)
	if err != nil {
		return nil, notFound(err, "feedback_not_found", "Không tìm thấy phản ánh, kiến nghị.")
	}
	return f, nil
}

// Feedback implements motcua.FeedbackStore.
func (t *tx) Feedback(_ ctxT, id int64) (*motcua.Feedback, error) { return t.oneFeedback("id = ?", id) }

// FeedbackByCode implements motcua.FeedbackStore.
func (t *tx) FeedbackByCode(_ ctxT, code string) (*motcua.Feedback, error) {
	return t.oneFeedback("code = ?", code)
}

// UpdateFeedback implements motcua.FeedbackStore. The sender's own fields
// (name, contact, content, channel, reception) never change.
func (t *tx) UpdateFeedback(_ ctxT, f *motcua.Feedback) error {
	res, err := t.exec(`UPDATE feedback SET state = ?, kind = ?, topic = ?, agency_id = ?, assignee_id = ?, repeat_of = ?,
		classified_at = ?, classified_by = ?, answer = ?, answered_at = ?, answered_by = ?, published_at = ?, published_by = ?,
		public_content = ?, public_answer = ?, answer_level = ?, rated_at = ?, publish_due_at = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		string(f.State), string(f.Kind), f.Topic, f.AgencyID, f.AssigneeID, f.RepeatOf, ms(f.ClassifiedAt), f.ClassifiedBy,
		f.Answer, ms(f.AnsweredAt), f.AnsweredBy, ms(f.PublishedAt), f.PublishedBy, f.PublicContent, f.PublicAnswer,
		f.AnswerLevel, ms(f.RatedAt), ms(f.PublishDueAt), f.ID, f.Version)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return motcua.Errorf(motcua.ECONFLICT, "feedback_changed",
			"Phản ánh, kiến nghị vừa được người khác cập nhật; vui lòng mở lại và thực hiện lại.")
	}
	f.Version++
	return nil
}

func (t *tx) feedbackList(query string, args ...any) ([]*motcua.Feedback, error) {
	rows, err := t.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*motcua.Feedback
	for rows.Next() {
		f, err := scanFeedback(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// FindFeedback implements motcua.FeedbackStore.
func (t *tx) FindFeedback(_ ctxT, f motcua.FeedbackFilter) ([]*motcua.Feedback, error) {
	var where []string
	var args []any
	if f.AgencyIDs != nil {
		ids := append([]int64(nil), f.AgencyIDs...)
		if f.Unassigned {
			ids = append(ids, 0)
		}
		if len(ids) == 0 {
			return nil, nil
		}
		where = append(where, "agency_id IN ("+placeholders(len(ids))+")")
		for _, id := range ids {
			args = append(args, id)
		}
	}
	if f.AssigneeID != 0 {
		where, args = append(where, "assignee_id = ?"), append(args, f.AssigneeID)
	}
	if len(f.States) > 0 {
		where = append(where, "state IN ("+placeholders(len(f.States))+")")
		for _, s := range f.States {
			args = append(args, string(s))
		}
	}
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, string(f.Kind))
	}
	if !f.DueBefore.IsZero() {
		d := f.DueBefore.UnixMilli()
		where = append(where, "((state = 'received' AND classify_due_at < ?) OR (state = 'assigned' AND answer_due_at < ?) OR "+
			"(state = 'answered' AND consent = 1 AND published_at IS NULL AND publish_due_at < ?))")
		args = append(args, d, d, d)
	}
	if f.BeforeID > 0 {
		where, args = append(where, "id < ?"), append(args, f.BeforeID)
	}
	q := `SELECT ` + feedbackColumns + ` FROM feedback`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	return t.feedbackList(q+fmt.Sprintf(" ORDER BY id DESC LIMIT %d", limit), args...)
}

// PublishedFeedback implements motcua.FeedbackStore.
func (t *tx) PublishedFeedback(_ ctxT, beforeID int64, limit int) ([]*motcua.Feedback, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	q := `SELECT ` + feedbackColumns + ` FROM feedback WHERE published_at IS NOT NULL`
	var args []any
	if beforeID > 0 {
		q, args = q+" AND id < ?", append(args, beforeID)
	}
	return t.feedbackList(q+fmt.Sprintf(" ORDER BY id DESC LIMIT %d", limit), args...)
}

// FeedbackIn implements motcua.FeedbackStore.
func (t *tx) FeedbackIn(_ ctxT, from, to time.Time) ([]*motcua.Feedback, error) {
	return t.feedbackList(`SELECT `+feedbackColumns+` FROM feedback WHERE received_at >= ? AND received_at < ? ORDER BY id`,
		from.UnixMilli(), to.UnixMilli())
}

// CreateRating implements motcua.RatingStore; the UNIQUE dossier_id
// refuses a second rating even when two arrive at once.
func (t *tx) CreateRating(_ ctxT, r *motcua.Rating) error {
	id, err := t.insert(`INSERT INTO dossier_ratings (dossier_id, agency_id, level, attitude, trips, on_time, comment, channel,
		counter_user_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.DossierID, r.AgencyID, r.Level, r.Attitude, r.Trips, b2i(r.OnTime), r.Comment, string(r.Channel), r.CounterUserID,
		r.At.UnixMilli())
	if err != nil {
		return conflict(err, "already_rated", "Hồ sơ này đã được đánh giá; mỗi hồ sơ chỉ được đánh giá một lần.")
	}
	r.ID = id
	return nil
}

// DossierRating implements motcua.RatingStore.
func (t *tx) DossierRating(_ ctxT, dossierID int64) (*motcua.Rating, error) {
	row, err := t.queryRow(`SELECT id, dossier_id, agency_id, level, attitude, trips, on_time, comment, channel, counter_user_id, at
		FROM dossier_ratings WHERE dossier_id = ?`, dossierID)
	if err != nil {
		return nil, err
	}
	var r motcua.Rating
	var onTime int
	var channel string
	var at int64
	if err := row.Scan(&r.ID, &r.DossierID, &r.AgencyID, &r.Level, &r.Attitude, &r.Trips, &onTime, &r.Comment, &channel,
		&r.CounterUserID, &at); err != nil {
		return nil, notFound(err, "rating_not_found", "Hồ sơ chưa được đánh giá.")
	}
	r.OnTime, r.Channel, r.At = onTime == 1, motcua.RatingChannel(channel), time.UnixMilli(at).UTC()
	return &r, nil
}

// LastReturnedBy implements motcua.RatingStore (index
// dossier_events_returned; on PostgreSQL by actor and day, see actorDay:
// the user's last day with a return is read and sorted).
func (t *tx) LastReturnedBy(ctx ctxT, userID int64) (*motcua.Dossier, error) {
	order := `at DESC, id DESC`
	if t.db.dialect == postgresDialect {
		order = actorDay + ` DESC, at DESC, id DESC`
	}
	row, err := t.queryRow(`SELECT dossier_id FROM dossier_events WHERE actor_id = ? AND action = 'return'
		ORDER BY `+order+` LIMIT 1`, userID)
	if err != nil {
		return nil, err
	}
	var id int64
	if err := row.Scan(&id); err != nil {
		return nil, notFound(err, "no_returned_dossier", "Quầy chưa trả kết quả hồ sơ nào.")
	}
	return t.Dossier(ctx, id)
}

// RatingAggs implements motcua.RatingStore.
func (t *tx) RatingAggs(_ ctxT, from, to time.Time) ([]motcua.RatingAgg, error) {
	f, e := from.UnixMilli(), to.UnixMilli()
	byAgency := map[int64]*motcua.RatingAgg{}
	var order []int64
	agg := func(id int64) *motcua.RatingAgg {
		a, ok := byAgency[id]
		if !ok {
			a = &motcua.RatingAgg{AgencyID: id}
			byAgency[id] = a
			order = append(order, id)
		}
		return a
	}
	read := func(q string, set func(a *motcua.RatingAgg, x, y int64), args ...any) error {
		rows, err := t.query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, x, y int64
			if err := rows.Scan(&id, &x, &y); err != nil {
				return err
			}
			set(agg(id), x, y)
		}
		return rows.Err()
	}
	if err := read(`SELECT agency_id, COUNT(*), COALESCE(SUM(CASE WHEN level <= 2 THEN 1 ELSE 0 END), 0)
		FROM dossier_ratings WHERE at >= ? AND at < ? GROUP BY agency_id`,
		func(a *motcua.RatingAgg, x, y int64) { a.Ratings, a.Dislikes = x, y }, f, e); err != nil {
		return nil, err
	}
	if err := read(`SELECT d.competent_agency_id, COUNT(DISTINCT x.dossier_id), 0 FROM (
			SELECT dossier_id FROM dossier_ratings WHERE level <= 2 AND at >= ? AND at < ?
			UNION SELECT dossier_id FROM feedback WHERE dossier_id <> 0 AND received_at >= ? AND received_at < ?
		) x JOIN dossiers d ON d.id = x.dossier_id GROUP BY d.competent_agency_id`,
		func(a *motcua.RatingAgg, x, _ int64) { a.Flagged = x }, f, e, f, e); err != nil {
		return nil, err
	}
	out := make([]motcua.RatingAgg, 0, len(order))
	for _, id := range order {
		out = append(out, *byAgency[id])
	}
	return out, nil
}

// FeedbackRecorded implements motcua.RatingStore.
func (t *tx) FeedbackRecorded(_ ctxT) (bool, error) {
	row, err := t.queryRow(`SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM dossier_ratings LIMIT 1) r) +
		(SELECT COUNT(*) FROM (SELECT 1 FROM feedback LIMIT 1) f)`)
	if err != nil {
		return false, err
	}
	var n int64
	if err := row.Scan(&n); err != nil {
		return false, err
	}
	return n > 0, nil
}

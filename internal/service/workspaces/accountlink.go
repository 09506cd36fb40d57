package workspaces

// BYOL account links (spec §11): a source account invites a target, which
// accepts or rejects; a LINKED target uses the source's BYOL configuration
// and there is no unlinking. Links live per region outside any account's
// namespace so both parties find them by id. Organisation checks are not
// emulated: every account is in one organisation.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/ids"
	"github.com/workspaces-local/workspaces-local/internal/store"
	"github.com/workspaces-local/workspaces-local/internal/store/expiring"
)

const (
	defaultLinkPage = 25             // spec §1.4
	linkTokenTTL    = 24 * time.Hour // spec §1.5
)

type linkRecord struct {
	ws.AccountLink
	CreatedAt time.Time `json:"createdAt"`
	seq       int64
}

func linkKey(c *api.Call, id string) store.Key {
	return store.Key{Kind: kindLink, Region: c.Region, ID: id}
}

// putLink stores l and moves its index entries from what the stored record
// had (nil l: the record at id is deleted).
func putLink(ctx context.Context, tx store.Tx, c *api.Call, id string, l *linkRecord) error {
	return putIndexed(ctx, tx, linkKey(c, id), l, func(l *linkRecord) []entry { return linkEntries(c.Region, l) })
}

// firstLink returns the oldest link of index ix of account, or nil.
func firstLink(ctx context.Context, tx store.Tx, c *api.Call, ix, account string) (*linkRecord, error) {
	id, err := firstInIndex(ctx, tx, ixScope(ix, "", account, c.Region))
	if id == "" || err != nil {
		return nil, err
	}
	return lookup[linkRecord](ctx, tx, linkKey(c, id))
}

func (l *linkRecord) party(account string) bool {
	return *l.SourceAccountId == account || *l.TargetAccountId == account
}

func (l *linkRecord) open() bool {
	return l.AccountLinkStatus == ws.AccountLinkStatusEnumLinked || l.AccountLinkStatus == ws.AccountLinkStatusEnumPendingAcceptanceByTargetAccount
}

// linkedAs returns the LINKED link account takes part in, or nil.
func (s *Service) linkedAs(ctx context.Context, tx store.Tx, c *api.Call, account string) (*linkRecord, error) {
	if ok, err := s.regionIndexed(ctx, tx, c); err != nil || ok {
		if err != nil {
			return nil, err
		}
		return firstLink(ctx, tx, c, ixLinkLinked, account)
	}
	// The region's links are not indexed yet (records from before the
	// indexes, and no call has indexed them): read them all, once.
	links, err := listRecords[linkRecord](ctx, tx, store.Scope{Kind: kindLink, Region: c.Region})
	for _, l := range links {
		if l.AccountLinkStatus == ws.AccountLinkStatusEnumLinked && l.party(account) {
			return l, err
		}
	}
	return nil, err
}

func linkNotFound(id string) error {
	return &ws.ResourceNotFoundException{Message: api.String("The account link " + api.Echo(id) + " could not be found."), ResourceId: api.String(api.Echo(id))}
}

func linkConflict(format string, args ...any) error {
	return &ws.ConflictException{Message: api.String(fmt.Sprintf(format, args...))}
}

func linkDenied(format string, args ...any) error {
	return &ws.AccessDeniedException{Message: api.String(fmt.Sprintf(format, args...))}
}

func linkInvalid(format string, args ...any) error {
	return &ws.ValidationException{Message: api.String(fmt.Sprintf(format, args...))}
}

type linkToken struct {
	Params string          `json:"params"`
	Output json.RawMessage `json:"output"`
	At     time.Time       `json:"at"`
}

// withToken gives the four link mutations ClientToken idempotency (spec
// §1.5): the same token and parameters within a day replay the first
// answer; other parameters are a ConflictException.
func (s *Service) withToken(ctx context.Context, tx store.Tx, c *api.Call, token *string, params any, out *ws.AccountLink, do func() error) error {
	if token == nil {
		return do()
	}
	fp, _ := json.Marshal(params)
	k := key(c, kindLinkToken, c.Operation+"/"+*token)
	var rec linkToken
	err := tx.Get(ctx, k, &rec)
	switch {
	case err == nil && c.Now.Sub(rec.At) < linkTokenTTL:
		if rec.Params != string(fp) {
			return linkConflict("ClientToken '%s' was already used with different parameters.", *token)
		}
		return json.Unmarshal(rec.Output, out)
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return err
	}
	if err := do(); err != nil {
		return err
	}
	b, _ := json.Marshal(out)
	if err := tx.Put(ctx, k, linkToken{Params: string(fp), Output: b, At: c.Now}); err != nil {
		return err
	}
	return linkTokenLog.Add(ctx, tx, k, c.Now)
}

// linkTokenLog deletes link tokens a while after they expired
// (store/expiring), so the store keeps only the last day's.
var linkTokenLog = expiring.Log{Kind: kindLinkTokenLog, Of: kindLinkToken, TTL: linkTokenTTL,
	WrittenAt: expiring.TimeOf(func(r *linkToken) time.Time { return r.At })}

// CreateAccountLinkInvitation invites a target account to use the caller's
// BYOL configuration.
func (s *Service) CreateAccountLinkInvitation(ctx context.Context, c *api.Call, in *ws.CreateAccountLinkInvitationInput) (*ws.CreateAccountLinkInvitationOutput, error) {
	if err := s.ensureIndexes(ctx, c); err != nil {
		return nil, err
	}
	target := *in.TargetAccountId
	out := &ws.CreateAccountLinkInvitationOutput{AccountLink: &ws.AccountLink{}}
	err := s.update(ctx, func(tx store.Tx) error {
		return s.withToken(ctx, tx, c, in.ClientToken, target, out.AccountLink, func() error {
			if target == c.Account {
				return linkInvalid("TargetAccountId must be another account than the caller.")
			}
			for _, chk := range []struct {
				ix, account, msg string
			}{
				{ixLinkOpenTarget, target, "Account %[1]s is already linked or has a pending invitation (%[3]s)."},
				{ixLinkOpenTarget, c.Account, "Account %[2]s is itself the target of account link %[3]s and cannot invite."},
				{ixLinkOpenSource, target, "Account %[1]s is the source of account link %[3]s and cannot become a target."},
			} {
				id, err := firstInIndex(ctx, tx, ixScope(chk.ix, "", chk.account, c.Region))
				if err != nil {
					return err
				}
				if id != "" {
					return linkConflict(chk.msg, target, c.Account, id)
				}
			}
			a, err := s.getAccount(ctx, tx, c, c.Account)
			if err != nil {
				return err
			}
			if a.DedicatedTenancySupport != "ENABLED" {
				return linkDenied("Account %s is not enabled for BYOL in %s.", c.Account, c.Region)
			}
			l := &linkRecord{CreatedAt: c.Now}
			l.AccountLinkId = api.String("link-" + ids.Random("0123456789abcdefghijklmnopqrstuvwxyz", 16))
			l.AccountLinkStatus = ws.AccountLinkStatusEnumPendingAcceptanceByTargetAccount
			l.SourceAccountId, l.TargetAccountId = api.String(c.Account), api.String(target)
			*out.AccountLink = l.AccountLink
			return putLink(ctx, tx, c, *l.AccountLinkId, l)
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// getLink returns a link the caller takes part in; others' links are not found.
func getLink(ctx context.Context, tx store.Tx, c *api.Call, id string) (*linkRecord, error) {
	l, err := lookup[linkRecord](ctx, tx, linkKey(c, id))
	if err != nil {
		return nil, err
	}
	if l == nil || !l.party(c.Account) {
		return nil, linkNotFound(id)
	}
	return l, nil
}

// answerLink runs the target's accept or reject of an invitation.
func (s *Service) answerLink(ctx context.Context, c *api.Call, id string, token *string, accept bool) (*ws.AccountLink, error) {
	if err := s.ensureIndexes(ctx, c); err != nil {
		return nil, err
	}
	out := &ws.AccountLink{}
	err := s.update(ctx, func(tx store.Tx) error {
		return s.withToken(ctx, tx, c, token, id, out, func() error {
			l, err := getLink(ctx, tx, c, id)
			if err != nil {
				return err
			}
			if *l.SourceAccountId == c.Account {
				return linkDenied("Only the target account %s can answer invitation %s.", *l.TargetAccountId, id)
			}
			want, other := ws.AccountLinkStatusEnumLinked, ws.AccountLinkStatusEnumRejected
			if !accept {
				want, other = other, want
			}
			switch l.AccountLinkStatus {
			case want: // answering again returns the link unchanged (inferred)
			case ws.AccountLinkStatusEnumPendingAcceptanceByTargetAccount:
				l.AccountLinkStatus = want
				if err := putLink(ctx, tx, c, id, l); err != nil {
					return err
				}
			case other, ws.AccountLinkStatusEnumLinkingFailed:
				return linkConflict("Account link %s is %s.", id, l.AccountLinkStatus)
			}
			*out = l.AccountLink
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AcceptAccountLinkInvitation links the target to the source (irreversible).
func (s *Service) AcceptAccountLinkInvitation(ctx context.Context, c *api.Call, in *ws.AcceptAccountLinkInvitationInput) (*ws.AcceptAccountLinkInvitationOutput, error) {
	l, err := s.answerLink(ctx, c, *in.LinkId, in.ClientToken, true)
	if err != nil {
		return nil, err
	}
	return &ws.AcceptAccountLinkInvitationOutput{AccountLink: l}, nil
}

// RejectAccountLinkInvitation rejects a pending invitation.
func (s *Service) RejectAccountLinkInvitation(ctx context.Context, c *api.Call, in *ws.RejectAccountLinkInvitationInput) (*ws.RejectAccountLinkInvitationOutput, error) {
	l, err := s.answerLink(ctx, c, *in.LinkId, in.ClientToken, false)
	if err != nil {
		return nil, err
	}
	return &ws.RejectAccountLinkInvitationOutput{AccountLink: l}, nil
}

// DeleteAccountLinkInvitation lets the source delete a pending or rejected
// invitation; it returns the link as it was.
func (s *Service) DeleteAccountLinkInvitation(ctx context.Context, c *api.Call, in *ws.DeleteAccountLinkInvitationInput) (*ws.DeleteAccountLinkInvitationOutput, error) {
	if err := s.ensureIndexes(ctx, c); err != nil {
		return nil, err
	}
	id := *in.LinkId
	out := &ws.DeleteAccountLinkInvitationOutput{AccountLink: &ws.AccountLink{}}
	err := s.update(ctx, func(tx store.Tx) error {
		return s.withToken(ctx, tx, c, in.ClientToken, id, out.AccountLink, func() error {
			l, err := getLink(ctx, tx, c, id)
			if err != nil {
				return err
			}
			if *l.TargetAccountId == c.Account {
				return linkDenied("Only the source account %s can delete invitation %s.", *l.SourceAccountId, id)
			}
			if l.AccountLinkStatus == ws.AccountLinkStatusEnumLinked {
				return linkConflict("Account link %s is LINKED; linked accounts cannot be unlinked.", id)
			}
			*out.AccountLink = l.AccountLink
			return putLink(ctx, tx, c, id, nil)
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// GetAccountLink finds a link by id or by the other party's account.
func (s *Service) GetAccountLink(ctx context.Context, c *api.Call, in *ws.GetAccountLinkInput) (*ws.GetAccountLinkOutput, error) {
	if err := s.ensureIndexes(ctx, c); err != nil {
		return nil, err
	}
	if in.LinkId == nil && in.LinkedAccountId == nil {
		return nil, linkInvalid("Specify LinkId or LinkedAccountId.")
	}
	out := &ws.GetAccountLinkOutput{}
	err := s.view(ctx, func(tx store.Tx) error {
		var found *linkRecord
		if in.LinkId != nil {
			l, err := getLink(ctx, tx, c, *in.LinkId)
			if err != nil {
				return err
			}
			found = l
		} else {
			// The most recent link between the two accounts wins.
			recs, err := tx.List(ctx, store.Query{Scope: ixScope(ixLinkPair, *in.LinkedAccountId, c.Account, c.Region)})
			if err != nil {
				return err
			}
			for i := len(recs) - 1; i >= 0 && found == nil && *in.LinkedAccountId != c.Account; i-- {
				if found, err = lookup[linkRecord](ctx, tx, linkKey(c, recs[i].Key.ID)); err != nil {
					return err
				}
			}
			if found == nil {
				return &ws.ResourceNotFoundException{Message: api.String("No account link between " + c.Account + " and " + *in.LinkedAccountId + " in " + c.Region + "."), ResourceId: in.LinkedAccountId}
			}
		}
		if in.LinkedAccountId != nil && !found.party(*in.LinkedAccountId) {
			return linkInvalid("LinkId %s does not link account %s.", *in.LinkId, *in.LinkedAccountId)
		}
		out.AccountLink = &found.AccountLink
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListAccountLinks lists the links the caller takes part in, optionally by status.
func (s *Service) ListAccountLinks(ctx context.Context, c *api.Call, in *ws.ListAccountLinksInput) (*ws.ListAccountLinksOutput, error) {
	if err := s.ensureIndexes(ctx, c); err != nil {
		return nil, err
	}
	var page []*linkRecord
	var next *string
	err := s.view(ctx, func(tx store.Tx) (err error) {
		get := func(id string) (*linkRecord, error) { return lookup[linkRecord](ctx, tx, linkKey(c, id)) }
		keep := func(l *linkRecord) bool {
			return len(in.LinkStatusFilter) == 0 || slices.Contains(in.LinkStatusFilter, l.AccountLinkStatus)
		}
		page, next, err = indexPage(ctx, s, tx, c, ixScope(ixLinkParty, "", c.Account, c.Region), in.NextToken, in.MaxResults, defaultLinkPage, in.LinkStatusFilter, get, keep)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := &ws.ListAccountLinksOutput{AccountLinks: make([]ws.AccountLink, 0, len(page)), NextToken: next}
	for _, l := range page {
		out.AccountLinks = append(out.AccountLinks, l.AccountLink)
	}
	return out, nil
}

func (r *linkRecord) setSeq(n int64) { r.seq = n }

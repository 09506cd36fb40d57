package workspaces

// BYOL account configuration (spec §9): dedicated tenancy with a /16
// management CIDR range, enabled once per account and region through a
// PENDING → COMPLETED modification. Every account is BYOL-eligible (inferred:
// spec §16.6); 54.239.224.0/20 and operator reservations are not modelled.

import (
	"context"
	"errors"
	"net/netip"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

const (
	defaultModificationPage = 25 // inferred: spec §9.3
	defaultCidrPage         = 5  // spec §1.4
)

// managementSupernets are the address spaces a management range may come
// from (spec §9).
var managementSupernets = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("198.18.0.0/15"),
}

// accountRecord is an account's BYOL configuration in one region.
type accountRecord struct {
	DedicatedTenancySupport string                   `json:"DedicatedTenancySupport"`
	Cidr                    string                   `json:"cidr,omitempty"`
	Modifications           []ws.AccountModification `json:"modifications,omitempty"`
	// PendingDue is when the newest PENDING modification completes.
	PendingDue time.Time `json:"pendingDue"`
}

// resolve completes a due PENDING modification.
func (a *accountRecord) resolve(now time.Time) {
	n := len(a.Modifications)
	if n == 0 || a.Modifications[n-1].ModificationState != ws.DedicatedTenancyModificationStateEnumPending || now.Before(a.PendingDue) {
		return
	}
	m := &a.Modifications[n-1]
	m.ModificationState = ws.DedicatedTenancyModificationStateEnumCompleted
	a.DedicatedTenancySupport, a.Cidr = "ENABLED", api.ToString(m.DedicatedTenancyManagementCidrRange)
}

func (s *Service) getAccount(ctx context.Context, tx store.Tx, c *api.Call, account string) (*accountRecord, error) {
	var a accountRecord
	err := tx.Get(ctx, store.Key{Kind: kindAccount, Account: account, Region: c.Region, ID: "account"}, &a)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if a.DedicatedTenancySupport == "" {
		a.DedicatedTenancySupport = "DISABLED"
	}
	a.resolve(c.Now)
	return &a, nil
}

func (s *Service) putAccount(ctx context.Context, tx store.Tx, c *api.Call, a *accountRecord) error {
	return tx.Put(ctx, key(c, kindAccount, "account"), a)
}

// byolConfig is the BYOL configuration an account uses: its own, or the
// source's when it is the target of a LINKED account link (spec §9.1).
func (s *Service) byolConfig(ctx context.Context, tx store.Tx, c *api.Call, account string) (*accountRecord, ws.DedicatedTenancyAccountType, error) {
	link, err := s.linkedAs(ctx, tx, c, account)
	if err != nil {
		return nil, "", err
	}
	owner, role := account, ws.DedicatedTenancyAccountType("")
	if link != nil {
		if *link.TargetAccountId == account {
			owner, role = *link.SourceAccountId, ws.DedicatedTenancyAccountTypeTargetAccount
		} else {
			role = ws.DedicatedTenancyAccountTypeSourceAccount
		}
	}
	a, err := s.getAccount(ctx, tx, c, owner)
	return a, role, err
}

// byolEnabled reports whether account has dedicated tenancy ENABLED in the
// region, itself or through a LINKED source.
func (s *Service) byolEnabled(ctx context.Context, tx store.Tx, c *api.Call) (bool, error) {
	return s.byolEnabledFor(ctx, tx, c, c.Account)
}

func (s *Service) byolEnabledFor(ctx context.Context, tx store.Tx, c *api.Call, account string) (bool, error) {
	a, _, err := s.byolConfig(ctx, tx, c, account)
	if err != nil {
		return false, err
	}
	return a.DedicatedTenancySupport == "ENABLED", nil
}

// DescribeAccount reports the caller's BYOL configuration and link role.
func (s *Service) DescribeAccount(ctx context.Context, c *api.Call, _ *ws.DescribeAccountInput) (*ws.DescribeAccountOutput, error) {
	out := &ws.DescribeAccountOutput{}
	err := s.view(ctx, func(tx store.Tx) error {
		a, role, err := s.byolConfig(ctx, tx, c, c.Account)
		if err != nil {
			return err
		}
		out.DedicatedTenancySupport = ws.DedicatedTenancySupportResultEnum(a.DedicatedTenancySupport)
		if a.Cidr != "" {
			out.DedicatedTenancyManagementCidrRange = api.String(a.Cidr)
		}
		out.DedicatedTenancyAccountType = role
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// inManagementSpace reports whether p lies inside one of the allowed supernets.
func inManagementSpace(p netip.Prefix) bool {
	for _, sup := range managementSupernets {
		if sup.Bits() <= p.Bits() && sup.Contains(p.Addr()) {
			return true
		}
	}
	return false
}

// ModifyAccount enables dedicated tenancy with a management range; it
// completes after the account.modify delay and cannot be changed afterwards.
func (s *Service) ModifyAccount(ctx context.Context, c *api.Call, in *ws.ModifyAccountInput) (*ws.ModifyAccountOutput, error) {
	if in.DedicatedTenancySupport == "" || in.DedicatedTenancyManagementCidrRange == nil {
		return nil, invalidf("Enabling BYOL needs both DedicatedTenancySupport ENABLED and DedicatedTenancyManagementCidrRange.")
	}
	cidr := *in.DedicatedTenancyManagementCidrRange
	p, err := netip.ParsePrefix(cidr)
	if err != nil || !p.Addr().Is4() || p.Bits() != 16 || p.Masked() != p {
		return nil, invalidf("DedicatedTenancyManagementCidrRange %s must be an IPv4 /16 network such as 10.200.0.0/16.", cidr)
	}
	if !inManagementSpace(p) {
		return nil, invalidf("DedicatedTenancyManagementCidrRange %s is outside the allowed address space (10.0.0.0/8, 100.64.0.0/10, 172.16.0.0/12, 192.168.0.0/16, 198.18.0.0/15).", cidr)
	}
	err = s.update(ctx, func(tx store.Tx) error {
		link, err := s.linkedAs(ctx, tx, c, c.Account)
		if err != nil {
			return err
		}
		if link != nil && *link.TargetAccountId == c.Account {
			return stateErrf("Account %s is the target of account link %s and uses the BYOL configuration of %s.", c.Account, *link.AccountLinkId, *link.SourceAccountId)
		}
		a, err := s.getAccount(ctx, tx, c, c.Account)
		if err != nil {
			return err
		}
		if n := len(a.Modifications); n > 0 && a.Modifications[n-1].ModificationState == ws.DedicatedTenancyModificationStateEnumPending {
			return stateErrf("A BYOL account modification is already PENDING in %s.", c.Region)
		}
		if a.DedicatedTenancySupport == "ENABLED" {
			return stateErrf("BYOL is already ENABLED in %s with management range %s; the range cannot be changed.", c.Region, a.Cidr)
		}
		a.Modifications = append(a.Modifications, ws.AccountModification{
			ModificationState: ws.DedicatedTenancyModificationStateEnumPending, DedicatedTenancySupport: ws.DedicatedTenancySupportResultEnumEnabled,
			DedicatedTenancyManagementCidrRange: api.String(cidr), StartTime: api.NewTimestamp(c.Now),
		})
		a.PendingDue = c.Now.Add(s.delays.AccountModify)
		a.resolve(c.Now)
		return s.putAccount(ctx, tx, c, a)
	})
	if err != nil {
		return nil, err
	}
	return &ws.ModifyAccountOutput{}, nil
}

// DescribeAccountModifications lists the caller's modifications, newest first.
func (s *Service) DescribeAccountModifications(ctx context.Context, c *api.Call, in *ws.DescribeAccountModificationsInput) (*ws.DescribeAccountModificationsOutput, error) {
	var a *accountRecord
	err := s.view(ctx, func(tx store.Tx) (err error) {
		a, err = s.getAccount(ctx, tx, c, c.Account)
		return err
	})
	if err != nil {
		return nil, err
	}
	type item struct {
		m   ws.AccountModification
		seq int64
	}
	var items []item
	for i := len(a.Modifications) - 1; i >= 0; i-- {
		items = append(items, item{a.Modifications[i], int64(len(a.Modifications) - i)})
	}
	page, next, err := pageOf(s, c, items, func(x item) int64 { return x.seq }, in.NextToken, nil, defaultModificationPage, nil)
	if err != nil {
		return nil, err
	}
	out := &ws.DescribeAccountModificationsOutput{AccountModifications: make([]ws.AccountModification, 0, len(page)), NextToken: next}
	for _, x := range page {
		out.AccountModifications = append(out.AccountModifications, x.m)
	}
	return out, nil
}

// ListAvailableManagementCidrRanges lists the /16 blocks inside the
// constraint and the allowed address space, in ascending order, that no
// account of the region uses yet (inferred algorithm: spec §9.4).
func (s *Service) ListAvailableManagementCidrRanges(ctx context.Context, c *api.Call, in *ws.ListAvailableManagementCidrRangesInput) (*ws.ListAvailableManagementCidrRangesOutput, error) {
	p, err := netip.ParsePrefix(*in.ManagementCidrRangeConstraint)
	if err != nil || !p.Addr().Is4() {
		return nil, invalidf("ManagementCidrRangeConstraint %s is not an IPv4 CIDR block.", *in.ManagementCidrRangeConstraint)
	}
	p = p.Masked()
	used := map[string]bool{}
	err = s.view(ctx, func(tx store.Tx) error {
		a, err := s.getAccount(ctx, tx, c, c.Account)
		if err == nil && a.Cidr != "" {
			used[a.Cidr] = true
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	type block struct {
		cidr string
		seq  int64
	}
	var blocks []block
	if p.Bits() <= 16 {
		for _, sup := range managementSupernets {
			// Walk the /16 blocks of the overlap of p and sup.
			lo, bits := sup, sup.Bits()
			if p.Bits() > bits {
				if !sup.Contains(p.Addr()) {
					continue
				}
				lo, bits = p, p.Bits()
			} else if !p.Contains(sup.Addr()) {
				continue
			}
			start := lo.Addr().As4()
			count := 1 << (16 - bits)
			for i := range count {
				b2 := int(start[1]) + i
				addr := netip.AddrFrom4([4]byte{start[0] + byte(b2>>8), byte(b2), 0, 0})
				cidr := netip.PrefixFrom(addr, 16).String()
				if !used[cidr] {
					seq := int64(addr.As4()[0])<<8 | int64(addr.As4()[1])
					blocks = append(blocks, block{cidr, seq + 1})
				}
			}
		}
	}
	page, next, err := pageOf(s, c, blocks, func(b block) int64 { return b.seq }, in.NextToken, in.MaxResults, defaultCidrPage, p.String())
	if err != nil {
		return nil, err
	}
	out := &ws.ListAvailableManagementCidrRangesOutput{ManagementCidrRanges: make([]string, 0, len(page)), NextToken: next}
	for _, b := range page {
		out.ManagementCidrRanges = append(out.ManagementCidrRanges, b.cidr)
	}
	return out, nil
}

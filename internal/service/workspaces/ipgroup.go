package workspaces

// IP access control groups (spec §5). Not emulated: the groups filter no
// traffic (there are no WorkSpaces clients to filter); AccessDeniedException
// and ResourceCreationFailedException are never raised.

import (
	"context"
	"net/netip"
	"strings"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/ids"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

const (
	maxIPGroupsPerRegion = 100 // spec §3 (not adjustable)
	maxRulesPerIPGroup   = 10  // spec §3
	maxIPGroupsPerDir    = 25  // spec §3
	maxIPGroupNameLen    = 255 // inferred: spec §5.1
	maxRuleDescLen       = 255 // inferred: spec §5
	defaultIPGroupPage   = 25  // spec §1.4
)

type ipGroupRecord struct {
	ws.WorkspacesIpGroup
	CreatedAt time.Time `json:"createdAt"`
	seq       int64
}

func (s *Service) getIPGroup(ctx context.Context, tx store.Tx, c *api.Call, id string) (*ipGroupRecord, error) {
	g, err := lookup[ipGroupRecord](ctx, tx, key(c, kindIPGroup, id))
	if g == nil && err == nil {
		err = notFound("IP access control group", id)
	}
	return g, err
}

// checkRules applies the rule rules of spec §5 to a request's rules.
func checkRules(rules []ws.IpRuleItem) error {
	seen := map[string]bool{}
	for _, r := range rules {
		rule := api.ToString(r.IpRule)
		if rule == "" {
			return invalidf("Each IP rule needs a non-empty ipRule.")
		}
		if !validIPv4Rule(rule) {
			return invalidf("The IP rule '%s' is not a valid IPv4 CIDR block.", rule)
		}
		if seen[rule] {
			return invalidf("The IP rule '%s' appears more than once.", rule)
		}
		seen[rule] = true
		if n := len([]rune(api.ToString(r.RuleDesc))); n > maxRuleDescLen {
			return invalidf("The description of IP rule '%s' has %d characters; the maximum is %d.", rule, n, maxRuleDescLen)
		}
	}
	return nil
}

// validIPv4Rule accepts a.b.c.d/n (n 0–32, host bits allowed) or a bare
// IPv4 address. inferred: IPv6 is refused until AWS documents it for groups (spec §16.3).
func validIPv4Rule(s string) bool {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		return err == nil && p.Addr().Is4()
	}
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is4()
}

// checkGroupDirectoriesRegistered refuses rule changes while a directory the
// group is associated with is not REGISTERED (inferred: spec §5.4).
func (s *Service) checkGroupDirectoriesRegistered(ctx context.Context, tx store.Tx, c *api.Call, groupID string) error {
	dirs, err := s.groupDirectories(ctx, tx, c, groupID)
	if err != nil {
		return err
	}
	for _, d := range dirs {
		if d.State != ws.WorkspaceDirectoryStateRegistered && contains(d.IpGroupIds, groupID) {
			return stateErrf("IP access control group %s is associated with directory %s, which is in state %s; rules can change only while it is REGISTERED.", groupID, api.ToString(d.DirectoryId), d.State)
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// CreateIpGroup creates an IP access control group with no directory associations.
func (s *Service) CreateIpGroup(ctx context.Context, c *api.Call, in *ws.CreateIpGroupInput) (*ws.CreateIpGroupOutput, error) {
	name := api.ToString(in.GroupName)
	switch n := len([]rune(name)); {
	case n == 0:
		return nil, invalidf("GroupName must not be empty.")
	case n > maxIPGroupNameLen:
		return nil, invalidf("GroupName has %d characters; the maximum is %d.", n, maxIPGroupNameLen)
	}
	if len(in.UserRules) > maxRulesPerIPGroup {
		return nil, limitf("An IP access control group can have at most %d rules; the request has %d.", maxRulesPerIPGroup, len(in.UserRules))
	}
	if err := checkRules(in.UserRules); err != nil {
		return nil, err
	}
	if err := checkNewTags(nil, in.Tags); err != nil {
		return nil, err
	}
	g := &ipGroupRecord{CreatedAt: c.Now}
	g.GroupId = api.String(ids.IPGroup())
	g.GroupName = in.GroupName
	g.GroupDesc = in.GroupDesc
	g.UserRules = append([]ws.IpRuleItem{}, in.UserRules...)
	if err := s.ensureIndexes(ctx, c); err != nil {
		return nil, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		es := ipGroupEntries(c, g)
		if other, err := uniqueID(ctx, tx, es[0].key); err != nil {
			return err
		} else if other != "" {
			return &ws.ResourceAlreadyExistsException{Message: api.String("An IP access control group named '" + name + "' already exists.")}
		}
		n, err := tx.Count(ctx, scope(c, kindIPGroup))
		if err != nil {
			return err
		}
		if n >= maxIPGroupsPerRegion {
			return limitf("The account already has %d IP access control groups in %s; the maximum is %d.", n, c.Region, maxIPGroupsPerRegion)
		}
		if err := tx.Create(ctx, key(c, kindIPGroup, *g.GroupId), g); err != nil {
			return err
		}
		if err := putEntries(ctx, tx, es); err != nil {
			return err
		}
		return putTags(ctx, tx, c, *g.GroupId, in.Tags)
	})
	if err != nil {
		return nil, err
	}
	return &ws.CreateIpGroupOutput{GroupId: g.GroupId}, nil
}

// DeleteIpGroup deletes a group that no directory uses.
func (s *Service) DeleteIpGroup(ctx context.Context, c *api.Call, in *ws.DeleteIpGroupInput) (*ws.DeleteIpGroupOutput, error) {
	id := *in.GroupId
	if err := s.ensureIndexes(ctx, c); err != nil {
		return nil, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		g, err := s.getIPGroup(ctx, tx, c, id)
		if err != nil {
			return err
		}
		dirs, err := s.groupDirectories(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if len(dirs) > 0 {
			return &ws.ResourceAssociatedException{Message: api.String("The IP access control group " + id + " is associated with directory " + api.ToString(dirs[0].DirectoryId) + "; disassociate it first.")}
		}
		if err := tx.Delete(ctx, key(c, kindIPGroup, id)); err != nil {
			return err
		}
		if err := reindex(ctx, tx, ipGroupEntries(c, g), nil); err != nil {
			return err
		}
		return deleteAllTags(ctx, tx, c, id)
	})
	if err != nil {
		return nil, err
	}
	return &ws.DeleteIpGroupOutput{}, nil
}

// DescribeIpGroups lists the caller's groups, optionally only the given ids
// (unknown ids are left out, never an error).
func (s *Service) DescribeIpGroups(ctx context.Context, c *api.Call, in *ws.DescribeIpGroupsInput) (*ws.DescribeIpGroupsOutput, error) {
	// inferred: AWS documents no order; creation order (request order for
	// GroupIds) keeps pages stable (spec §1.4).
	var page []*ipGroupRecord
	var next *string
	err := s.view(ctx, func(tx store.Tx) (err error) {
		if len(in.GroupIds) == 0 {
			page, next, err = scanPage(ctx, s, tx, c, scope(c, kindIPGroup), in.NextToken, in.MaxResults, defaultIPGroupPage, in.GroupIds, func(*ipGroupRecord) bool { return true })
			return err
		}
		groups, err := byIDs(in.GroupIds, func(id string) (*ipGroupRecord, error) {
			return lookup[ipGroupRecord](ctx, tx, key(c, kindIPGroup, id))
		})
		if err == nil {
			page, next, err = pageOf(s, c, groups, func(g *ipGroupRecord) int64 { return g.seq }, in.NextToken, in.MaxResults, defaultIPGroupPage, in.GroupIds)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	out := &ws.DescribeIpGroupsOutput{Result: make([]ws.WorkspacesIpGroup, 0, len(page)), NextToken: next}
	for _, g := range page {
		out.Result = append(out.Result, g.WorkspacesIpGroup)
	}
	return out, nil
}

// changeRules loads a group, lets edit compute its new rule list, and stores
// it after the checks every rule-changing operation shares.
func (s *Service) changeRules(ctx context.Context, c *api.Call, id string, edit func(g *ipGroupRecord) ([]ws.IpRuleItem, error)) error {
	if err := s.ensureIndexes(ctx, c); err != nil {
		return err
	}
	return s.update(ctx, func(tx store.Tx) error {
		g, err := s.getIPGroup(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if err := s.checkGroupDirectoriesRegistered(ctx, tx, c, id); err != nil {
			return err
		}
		rules, err := edit(g)
		if err != nil {
			return err
		}
		if len(rules) > maxRulesPerIPGroup {
			return limitf("The IP access control group %s would have %d rules; the maximum is %d.", id, len(rules), maxRulesPerIPGroup)
		}
		if err := checkRules(rules); err != nil {
			return err
		}
		g.UserRules = rules
		return tx.Put(ctx, key(c, kindIPGroup, id), g)
	})
}

// AuthorizeIpRules appends rules to a group.
func (s *Service) AuthorizeIpRules(ctx context.Context, c *api.Call, in *ws.AuthorizeIpRulesInput) (*ws.AuthorizeIpRulesOutput, error) {
	// A rule already in the group is a duplicate in the combined list, which
	// changeRules refuses after the quota check (spec §1.3 order).
	err := s.changeRules(ctx, c, *in.GroupId, func(g *ipGroupRecord) ([]ws.IpRuleItem, error) {
		return append(append([]ws.IpRuleItem{}, g.UserRules...), in.UserRules...), nil
	})
	if err != nil {
		return nil, err
	}
	return &ws.AuthorizeIpRulesOutput{}, nil
}

// RevokeIpRules removes rules by their ipRule value; values not in the group
// are ignored (inferred: spec §16.3).
func (s *Service) RevokeIpRules(ctx context.Context, c *api.Call, in *ws.RevokeIpRulesInput) (*ws.RevokeIpRulesOutput, error) {
	err := s.changeRules(ctx, c, *in.GroupId, func(g *ipGroupRecord) ([]ws.IpRuleItem, error) {
		drop := map[string]bool{}
		for _, r := range in.UserRules {
			drop[r] = true
		}
		kept := []ws.IpRuleItem{}
		for _, r := range g.UserRules {
			if !drop[api.ToString(r.IpRule)] {
				kept = append(kept, r)
			}
		}
		return kept, nil
	})
	if err != nil {
		return nil, err
	}
	return &ws.RevokeIpRulesOutput{}, nil
}

// UpdateRulesOfIpGroup replaces a group's rules; an empty list clears them.
func (s *Service) UpdateRulesOfIpGroup(ctx context.Context, c *api.Call, in *ws.UpdateRulesOfIpGroupInput) (*ws.UpdateRulesOfIpGroupOutput, error) {
	err := s.changeRules(ctx, c, *in.GroupId, func(*ipGroupRecord) ([]ws.IpRuleItem, error) {
		return append([]ws.IpRuleItem{}, in.UserRules...), nil
	})
	if err != nil {
		return nil, err
	}
	return &ws.UpdateRulesOfIpGroupOutput{}, nil
}

// AssociateIpGroups associates groups with a REGISTERED directory, all or none.
func (s *Service) AssociateIpGroups(ctx context.Context, c *api.Call, in *ws.AssociateIpGroupsInput) (*ws.AssociateIpGroupsOutput, error) {
	if err := s.ensureIndexes(ctx, c); err != nil {
		return nil, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		d, err := s.getDirectory(ctx, tx, c, *in.DirectoryId)
		if err != nil {
			return err
		}
		if d.State != ws.WorkspaceDirectoryStateRegistered {
			return stateErrf("Directory %s is in state %s; this operation requires REGISTERED.", *in.DirectoryId, d.State)
		}
		groups := append([]string{}, d.IpGroupIds...)
		for _, id := range in.GroupIds {
			if _, err := s.getIPGroup(ctx, tx, c, id); err != nil {
				return err
			}
			if !contains(groups, id) {
				groups = append(groups, id)
			}
		}
		if len(groups) > maxIPGroupsPerDir {
			return limitf("Directory %s would have %d IP access control groups; the maximum is %d.", *in.DirectoryId, len(groups), maxIPGroupsPerDir)
		}
		return s.putDirectoryGroups(ctx, tx, c, d, groups)
	})
	if err != nil {
		return nil, err
	}
	return &ws.AssociateIpGroupsOutput{}, nil
}

// DisassociateIpGroups removes groups from a directory; ids that are unknown
// or not associated are ignored (inferred: spec §5.8).
func (s *Service) DisassociateIpGroups(ctx context.Context, c *api.Call, in *ws.DisassociateIpGroupsInput) (*ws.DisassociateIpGroupsOutput, error) {
	if err := s.ensureIndexes(ctx, c); err != nil {
		return nil, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		d, err := s.getDirectory(ctx, tx, c, *in.DirectoryId)
		if err != nil {
			return err
		}
		if d.State != ws.WorkspaceDirectoryStateRegistered {
			return stateErrf("Directory %s is in state %s; this operation requires REGISTERED.", *in.DirectoryId, d.State)
		}
		kept := []string{}
		for _, id := range d.IpGroupIds {
			if !contains(in.GroupIds, id) {
				kept = append(kept, id)
			}
		}
		return s.putDirectoryGroups(ctx, tx, c, d, kept)
	})
	if err != nil {
		return nil, err
	}
	return &ws.DisassociateIpGroupsOutput{}, nil
}

func (r *ipGroupRecord) setSeq(n int64) { r.seq = n }

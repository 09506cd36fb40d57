package workspaces

// Store-level indexes (docs/architecture.md). A read costs O(ids named +
// page size), never O(what the account or region holds): a request that
// names ids reads those records by key; every other filter reads an index.
// An index entry is a small record written and deleted in the same
// transaction as the record it points to:
//   - a list index is a scope (kind "workspaces.ix.<name>[/<value>]", the
//     account it is for, the region) whose records are named by the indexed
//     record's id, listed in Seq order, so one page of an index is one
//     store.List;
//   - a unique index is one key (kind "workspaces.ix.<name>", account,
//     region, the unique value as id) whose record names the indexed record.
// Records of the region-wide kinds (images, aliases, account links) are
// indexed under each account that may see them, so one account's read
// never lists another account's records.
//
// Data written before the indexes existed is indexed once per account and
// region (and once per region for the region-wide kinds) by ensureIndexes,
// at the first call that needs the indexes; a marker record remembers that
// the scope is indexed (an idempotent one-time migration).

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/paging"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

const (
	ixPrefix = "workspaces.ix."
	// kindIndexed marks a scope as indexed: (account, region) for the
	// account's own kinds, ("", region) for the region-wide kinds.
	kindIndexed = "workspaces.indexed"
	// indexVersion grows when an index is added; a marker with a lower
	// version has its scope indexed again.
	indexVersion = 2
)

// indexRecord is the value of an index entry: the id of the indexed record.
type indexRecord struct {
	ID string `json:"id"`
}

type indexedMarker struct {
	Version int `json:"version"`
}

// ixScope is the list index name[/value] of account in region.
func ixScope(name, value, account, region string) store.Scope {
	kind := ixPrefix + name
	if value != "" {
		kind += "/" + value
	}
	return store.Scope{Kind: kind, Account: account, Region: region}
}

// ixKey is the entry of id in the index sc (a list index entry, or a unique
// index key when id is the unique value).
func ixKey(sc store.Scope, id string) store.Key {
	return store.Key{Kind: sc.Kind, Account: sc.Account, Region: sc.Region, ID: id}
}

// IndexKind reports whether records of kind are index entries or index
// markers rather than resources: an account whose only records in a region
// are these (entries of images another account shares with it, a marker)
// holds nothing there of its own.
func IndexKind(kind string) bool {
	return kind == kindIndexed || strings.HasPrefix(kind, ixPrefix)
}

// entry is one index key and the id it names.
type entry struct {
	key store.Key
	id  string
}

// reindex moves the index entries of one record from old to new: entries
// only in old are deleted, entries only in new are written.
func reindex(ctx context.Context, tx store.Tx, old, new []entry) error {
	for _, o := range old {
		if o.key.ID == "" || slices.Contains(new, o) {
			continue
		}
		if err := deleteIfPresent(ctx, tx, o.key); err != nil {
			return err
		}
	}
	for _, n := range new {
		if n.key.ID == "" || slices.Contains(old, n) { // an empty unique value (a record without the member) is not indexed
			continue
		}
		if err := tx.Put(ctx, n.key, indexRecord{ID: n.id}); err != nil {
			return err
		}
	}
	return nil
}

// putIndexed stores v at k (nil v: deletes the record at k) and moves its
// index entries from what the stored record had.
func putIndexed[T any](ctx context.Context, tx store.Tx, k store.Key, v *T, entries func(*T) []entry) error {
	old, err := lookup[T](ctx, tx, k)
	if err != nil {
		return err
	}
	var was, now []entry
	if old != nil {
		was = entries(old)
	}
	if v != nil {
		now = entries(v)
	}
	if err := reindex(ctx, tx, was, now); err != nil {
		return err
	}
	if v == nil {
		return tx.Delete(ctx, k)
	}
	return tx.Put(ctx, k, v)
}

// putEntries writes every entry (Put keeps the Seq of one that exists).
func putEntries(ctx context.Context, tx store.Tx, es []entry) error {
	return reindex(ctx, tx, nil, es)
}

// uniqueID returns the id a unique index key names, or "".
func uniqueID(ctx context.Context, tx store.Tx, k store.Key) (string, error) {
	var r indexRecord
	err := tx.Get(ctx, k, &r)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	return r.ID, err
}

// firstInIndex returns the id of the oldest entry of sc, or "".
func firstInIndex(ctx context.Context, tx store.Tx, sc store.Scope) (string, error) {
	recs, err := tx.List(ctx, store.Query{Scope: sc, Limit: 1})
	if err != nil || len(recs) == 0 {
		return "", err
	}
	return recs[0].Key.ID, nil
}

// readPage reads one page straight from scope sc (a record scope or an
// index): records after the token's Seq, in chunks, each turned into an
// item by take (false: skipped), until the page is full and one more item
// shows that another page follows. The page costs what it holds plus the
// records take skips.
func readPage[P any](ctx context.Context, s *Service, tx store.Tx, c *api.Call, sc store.Scope, token *string, limit *int32, def int, filter any, take func(store.Record) (P, bool, error)) ([]P, *string, error) {
	page, next, _, err := readPageWithin(ctx, s, tx, c, sc, token, limit, def, filter, 0, take)
	return page, next, err
}

// readPageWithin is readPage reading at most budget records (0: no bound).
// When the budget runs out before the page is full it returns what it has,
// a token that continues after the last record read, and spent true.
func readPageWithin[P any](ctx context.Context, s *Service, tx store.Tx, c *api.Call, sc store.Scope, token *string, limit *int32, def int, filter any, budget int, take func(store.Record) (P, bool, error)) (page []P, next *string, spent bool, err error) {
	ps := paging.Scope{Op: c.Operation, Account: c.Account, Region: c.Region, Filter: paging.Filter(filter)}
	after, err := s.pages.Decode(api.ToString(token), ps, c.Now)
	if err != nil {
		return nil, nil, false, badToken(c.Operation)
	}
	n := int(api.ToInt32(limit, int32(def)))
	chunk := n + 1 // a full page and the one record that shows another follows
	var last int64 // Seq of the page's last item: where the next page starts
	read := 0
	for {
		if budget > 0 {
			chunk = min(chunk, budget-read)
		}
		recs, err := tx.List(ctx, store.Query{Scope: sc, AfterSeq: after, Limit: chunk})
		if err != nil {
			return nil, nil, false, err
		}
		read += len(recs)
		for _, r := range recs {
			v, ok, err := take(r)
			if err != nil {
				return nil, nil, false, err
			}
			if !ok {
				continue
			}
			if len(page) == n {
				next := s.pages.Encode(ps, last, c.Now)
				return page, &next, false, nil
			}
			page = append(page, v)
			last = r.Seq
		}
		if len(recs) < chunk {
			return page, nil, false, nil
		}
		after = recs[len(recs)-1].Seq
		if budget > 0 && read >= budget {
			next := s.pages.Encode(ps, after, c.Now)
			return page, &next, true, nil
		}
		chunk = min(chunk*2, 4096) // a sparse filter: read further ahead
	}
}

// indexPage reads one page of the records the list index ix names: get
// fetches one by id (nil when it is gone: a stale entry is skipped) and keep
// filters what is left. Items take the Seq of their index entry.
func indexPage[T any, P sequenced[T]](ctx context.Context, s *Service, tx store.Tx, c *api.Call, ix store.Scope, token *string, limit *int32, def int, filter any, get func(id string) (P, error), keep func(P) bool) ([]P, *string, error) {
	return readPage(ctx, s, tx, c, ix, token, limit, def, filter, func(r store.Record) (P, bool, error) {
		v, err := get(r.Key.ID)
		if err != nil || v == nil || !keep(v) {
			return nil, false, err
		}
		v.setSeq(r.Seq)
		return v, true, nil
	})
}

// byIDs fetches the distinct ids of a request in request order (get returns
// nil for an id that is not there); an item's Seq is its position, so that
// pageOf pages the answer.
func byIDs[T any, P sequenced[T]](ids []string, get func(id string) (P, error)) ([]P, error) {
	var out []P
	seen := make(map[string]bool, len(ids))
	for i, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		v, err := get(id)
		if err != nil {
			return nil, err
		}
		if v != nil {
			v.setSeq(int64(i + 1))
			out = append(out, v)
		}
	}
	return out, nil
}

// indexState remembers the scopes ensureIndexes has seen indexed, so that
// later calls cost a map lookup.
type indexState struct {
	mu   sync.RWMutex
	done map[[2]string]bool
}

func (st *indexState) has(account, region string) bool {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.done[[2]string{account, region}]
}

func (st *indexState) add(account, region string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.done == nil {
		st.done = map[[2]string]bool{}
	}
	st.done[[2]string{account, region}] = true
}

// ForgetIndexed makes the service check the index markers again at the next
// call of every account and region. Whatever replaces the store's content
// under a running service (a reset, an imported snapshot that may come from
// a build before the indexes) calls it afterwards.
func (s *Service) ForgetIndexed() {
	s.indexed.mu.Lock()
	defer s.indexed.mu.Unlock()
	s.indexed.done = nil
}

// ensureIndexes indexes the caller's account and region, and the region's
// shared kinds, unless that was done already (a one-time migration of
// records written before the indexes existed; it writes nothing else, so it
// is idempotent). Every operation that reads or maintains an index calls it
// before its transaction.
func (s *Service) ensureIndexes(ctx context.Context, c *api.Call) error {
	if s.indexed.has(c.Account, c.Region) {
		return nil
	}
	accountMarker := store.Key{Kind: kindIndexed, Account: c.Account, Region: c.Region, ID: "indexes"}
	regionMarker := store.Key{Kind: kindIndexed, Region: c.Region, ID: "indexes"}
	ready := func(tx store.Tx, k store.Key) (bool, error) { return markerReady(ctx, tx, k) }
	both := false
	err := s.view(ctx, func(tx store.Tx) error {
		a, err := ready(tx, accountMarker)
		if err != nil || !a {
			return err
		}
		both, err = ready(tx, regionMarker)
		return err
	})
	if err != nil {
		return err
	}
	if !both {
		err = s.update(ctx, func(tx store.Tx) error {
			if ok, err := ready(tx, accountMarker); err != nil {
				return err
			} else if !ok {
				if err := s.indexAccount(ctx, tx, c); err != nil {
					return err
				}
				if err := tx.Put(ctx, accountMarker, indexedMarker{Version: indexVersion}); err != nil {
					return err
				}
			}
			if ok, err := ready(tx, regionMarker); err != nil || ok {
				return err
			}
			if err := s.indexRegion(ctx, tx, c); err != nil {
				return err
			}
			return tx.Put(ctx, regionMarker, indexedMarker{Version: indexVersion})
		})
		if err != nil {
			return err
		}
	}
	s.indexed.add(c.Account, c.Region)
	return nil
}

// regionIndexed reports, inside tx, whether the region-wide kinds of the
// caller's region are indexed, for the helpers that run inside other
// operations' transactions (and so cannot run ensureIndexes themselves).
func (s *Service) regionIndexed(ctx context.Context, tx store.Tx, c *api.Call) (bool, error) {
	if s.indexed.has(c.Account, c.Region) {
		return true, nil
	}
	return markerReady(ctx, tx, store.Key{Kind: kindIndexed, Region: c.Region, ID: "indexes"})
}

// markerReady reports whether the marker at k says its scope is indexed.
func markerReady(ctx context.Context, tx store.Tx, k store.Key) (bool, error) {
	var m indexedMarker
	err := tx.Get(ctx, k, &m)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil && m.Version >= indexVersion, err
}

// indexAccount writes the index entries of the records of the caller's
// account and region.
func (s *Service) indexAccount(ctx context.Context, tx store.Tx, c *api.Call) error {
	if err := indexAll[workspaceRecord](ctx, tx, scope(c, kindWorkspace), func(w *workspaceRecord) []entry { return workspaceEntries(c, w) }); err != nil {
		return err
	}
	if err := indexAll[ipGroupRecord](ctx, tx, scope(c, kindIPGroup), func(g *ipGroupRecord) []entry { return ipGroupEntries(c, g) }); err != nil {
		return err
	}
	if err := indexAll[directoryRecord](ctx, tx, scope(c, kindDirectory), func(d *directoryRecord) []entry { return directoryEntries(c, d) }); err != nil {
		return err
	}
	if err := indexAll[customBundleRecord](ctx, tx, scope(c, kindBundle), func(b *customBundleRecord) []entry { return bundleEntries(c, b) }); err != nil {
		return err
	}
	return indexAll[customImportRecordSeq](ctx, tx, scope(c, kindCustomImport), func(r *customImportRecordSeq) []entry { return customImportEntries(c, &r.customImportRecord) })
}

// indexRegion writes the index entries of the region-wide records.
func (s *Service) indexRegion(ctx context.Context, tx store.Tx, c *api.Call) error {
	if err := indexAll[imageRecord](ctx, tx, store.Scope{Kind: kindImage, Region: c.Region}, func(im *imageRecord) []entry { return imageEntries(c.Region, im) }); err != nil {
		return err
	}
	if err := indexAll[aliasRecord](ctx, tx, store.Scope{Kind: kindAlias, Region: c.Region}, func(a *aliasRecord) []entry { return aliasEntries(c.Region, a) }); err != nil {
		return err
	}
	return indexAll[linkRecord](ctx, tx, store.Scope{Kind: kindLink, Region: c.Region}, func(l *linkRecord) []entry { return linkEntries(c.Region, l) })
}

// indexAll writes the entries of every record of sc, in creation order (so
// list indexes keep that order), a chunk at a time.
func indexAll[T any, P sequenced[T]](ctx context.Context, tx store.Tx, sc store.Scope, entries func(P) []entry) error {
	var after int64
	for {
		recs, err := tx.List(ctx, store.Query{Scope: sc, AfterSeq: after, Limit: 1024})
		if err != nil {
			return err
		}
		for _, r := range recs {
			v := P(new(T))
			if err := r.Decode(v); err != nil {
				return err
			}
			if err := putEntries(ctx, tx, entries(v)); err != nil {
				return err
			}
		}
		if len(recs) < 1024 {
			return nil
		}
		after = recs[len(recs)-1].Seq
	}
}

// listEntry is the entry of id in the list index name[/value] of account.
func listEntry(name, value, account, region, id string) entry {
	return entry{ixKey(ixScope(name, value, account, region), id), id}
}

// uniqueEntry is the unique index name of account mapping value to id.
func uniqueEntry(name, account, region, value, id string) entry {
	return entry{ixKey(ixScope(name, "", account, region), value), id}
}

// Index names.
const (
	ixWorkspaceDir    = "wsdir"       // /<directory id>: WorkSpaces of a directory
	ixWorkspaceBundle = "wsbundle"    // /<bundle id>: WorkSpaces of a bundle
	ixWorkspaceName   = "wsname"      // /<WorkspaceName>: WorkSpaces of that name
	ixIPGroupName     = "ipgroupname" // unique: group name -> group id
	ixGroupDirectory  = "groupdir"    // /<group id>: directories associated with the group
	ixImageOwner      = "imgowner"    // images an account owns
	ixImageShared     = "imgshared"   // images shared with an account
	ixImageName       = "imgname"     // unique: owner's image name -> image id
	ixImageEC2        = "imgec2"      // unique: owner's imported EC2 image id -> image id
	ixAliasOwner      = "aliasowner"  // aliases an account owns
	ixAliasVisible    = "aliasvis"    // aliases an account owns or that are shared with it
	ixAliasDirectory  = "aliasdir"    // /<directory id>: visible aliases associated with that directory
	ixLinkParty       = "linkparty"   // links an account takes part in
	ixLinkPair        = "linkpair"    // /<other account>: links between an account and another
	ixLinkOpenSource  = "linkopensrc" // open (pending or linked) links an account is the source of
	ixLinkOpenTarget  = "linkopentgt" // open links an account is the target of
	ixLinkLinked      = "linklinked"  // LINKED links an account takes part in
	ixBundleImage     = "bundleimg"   // /<image id>: custom bundles built on the image
	ixWorkspaceStdby  = "wsstandby"   // standby WorkSpaces (CreateStandbyWorkspaces' quota)
	ixImageSource     = "imgsource"   // unique: ImportCustomWorkspaceImage source -> the latest image imported from it
)

func workspaceEntries(c *api.Call, w *workspaceRecord) []entry {
	id := api.ToString(w.WorkspaceId)
	var es []entry
	for _, f := range [][2]string{{ixWorkspaceDir, api.ToString(w.DirectoryId)}, {ixWorkspaceBundle, api.ToString(w.BundleId)}, {ixWorkspaceName, api.ToString(w.WorkspaceName)}} {
		if f[1] != "" {
			es = append(es, listEntry(f[0], f[1], c.Account, c.Region, id))
		}
	}
	if w.Pair != nil && w.Pair.Role == ws.StandbyWorkspaceRelationshipTypeStandby {
		es = append(es, listEntry(ixWorkspaceStdby, "", c.Account, c.Region, id))
	}
	return es
}

func bundleEntries(c *api.Call, b *customBundleRecord) []entry {
	return []entry{listEntry(ixBundleImage, b.Image, c.Account, c.Region, b.ID)}
}

func customImportEntries(c *api.Call, r *customImportRecord) []entry {
	return []entry{uniqueEntry(ixImageSource, c.Account, c.Region, sourceKey(r.Source), r.ImageID)}
}

func ipGroupEntries(c *api.Call, g *ipGroupRecord) []entry {
	return []entry{uniqueEntry(ixIPGroupName, c.Account, c.Region, api.ToString(g.GroupName), api.ToString(g.GroupId))}
}

func directoryEntries(c *api.Call, d *directoryRecord) []entry {
	var es []entry
	for _, g := range d.IpGroupIds {
		es = append(es, listEntry(ixGroupDirectory, g, c.Account, c.Region, api.ToString(d.DirectoryId)))
	}
	return es
}

func imageEntries(region string, im *imageRecord) []entry {
	id, owner := api.ToString(im.ImageId), im.owner()
	es := []entry{listEntry(ixImageOwner, "", owner, region, id), uniqueEntry(ixImageName, owner, region, api.ToString(im.Name), id)}
	if im.Ec2ImageID != "" {
		es = append(es, uniqueEntry(ixImageEC2, owner, region, im.Ec2ImageID, id))
	}
	for _, a := range im.SharedWith {
		es = append(es, listEntry(ixImageShared, "", a, region, id))
	}
	return es
}

func aliasEntries(region string, a *aliasRecord) []entry {
	id, owner := api.ToString(a.AliasId), a.owner()
	parties := []string{owner}
	if a.SharedWith != "" {
		parties = append(parties, a.SharedWith)
	}
	es := []entry{listEntry(ixAliasOwner, "", owner, region, id)}
	for _, p := range parties {
		es = append(es, listEntry(ixAliasVisible, "", p, region, id))
		if as := a.association(); as != nil {
			es = append(es, listEntry(ixAliasDirectory, api.ToString(as.ResourceId), p, region, id))
		}
	}
	return es
}

func linkEntries(region string, l *linkRecord) []entry {
	id, src, tgt := api.ToString(l.AccountLinkId), api.ToString(l.SourceAccountId), api.ToString(l.TargetAccountId)
	es := []entry{
		listEntry(ixLinkParty, "", src, region, id), listEntry(ixLinkParty, "", tgt, region, id),
		listEntry(ixLinkPair, tgt, src, region, id), listEntry(ixLinkPair, src, tgt, region, id),
	}
	if l.open() {
		es = append(es, listEntry(ixLinkOpenSource, "", src, region, id), listEntry(ixLinkOpenTarget, "", tgt, region, id))
	}
	if l.AccountLinkStatus == ws.AccountLinkStatusEnumLinked {
		es = append(es, listEntry(ixLinkLinked, "", src, region, id), listEntry(ixLinkLinked, "", tgt, region, id))
	}
	return es
}

// directoryWorkspaces returns the WorkSpaces of directory dir that are not
// TERMINATED (nor gone), read through the directory index.
func (s *Service) directoryWorkspaces(ctx context.Context, tx store.Tx, c *api.Call, dir string) ([]*workspaceRecord, error) {
	return s.indexedWorkspaces(ctx, tx, c, ixWorkspaceDir, dir, func(w *workspaceRecord) bool { return w.State != ws.WorkspaceStateTerminated })
}

// indexedWorkspaces returns the WorkSpaces (not gone) of the list index
// name/value that keep accepts, a keyed read per entry.
func (s *Service) indexedWorkspaces(ctx context.Context, tx store.Tx, c *api.Call, name, value string, keep func(*workspaceRecord) bool) ([]*workspaceRecord, error) {
	recs, err := tx.List(ctx, store.Query{Scope: ixScope(name, value, c.Account, c.Region)})
	if err != nil {
		return nil, err
	}
	var out []*workspaceRecord
	for _, r := range recs {
		w, err := s.getWorkspace(ctx, tx, c, r.Key.ID)
		if err != nil {
			return nil, err
		}
		if w != nil && keep(w) {
			out = append(out, w)
		}
	}
	return out, nil
}

// putDirectoryGroups stores directory d with the IP groups groups and
// moves its entries in the group index.
func (s *Service) putDirectoryGroups(ctx context.Context, tx store.Tx, c *api.Call, d *directoryRecord, groups []string) error {
	old := directoryEntries(c, d)
	d.IpGroupIds = groups
	if err := reindex(ctx, tx, old, directoryEntries(c, d)); err != nil {
		return err
	}
	return tx.Put(ctx, key(c, kindDirectory, api.ToString(d.DirectoryId)), d)
}

// groupDirectories returns the directories IP group id is associated with,
// read through the group index.
func (s *Service) groupDirectories(ctx context.Context, tx store.Tx, c *api.Call, id string) ([]*directoryRecord, error) {
	recs, err := tx.List(ctx, store.Query{Scope: ixScope(ixGroupDirectory, id, c.Account, c.Region)})
	if err != nil {
		return nil, err
	}
	var out []*directoryRecord
	for _, r := range recs {
		d, err := s.findDirectory(ctx, tx, c, r.Key.ID)
		if err != nil {
			return nil, err
		}
		if d != nil && contains(d.IpGroupIds, id) {
			out = append(out, d)
		}
	}
	return out, nil
}

// isToken reports whether token was issued for filter.
func (s *Service) isToken(c *api.Call, token string, filter any) bool {
	_, err := s.pages.Decode(token, paging.Scope{Op: c.Operation, Account: c.Account, Region: c.Region, Filter: paging.Filter(filter)}, c.Now)
	return err == nil
}

// describeFiltered is DescribeWorkspaces by DirectoryId, BundleId or
// WorkspaceName: one page of the filter's index, a keyed read per WorkSpace.
// A DirectoryId or BundleId that holds most of the account's WorkSpaces (an
// account with one directory, one bundle) is cheaper to read in order from
// the account's WorkSpaces, one List per page: the first page tries that
// within a budget of one page's worth of records and falls back to the index
// when the page does not fill; later pages keep the path of the page whose
// token they carry (the token's filter records it), and a later page of the
// scan reads at most four pages' worth of records, answering a short page
// with a NextToken where the filter thins out.
func (s *Service) describeFiltered(ctx context.Context, tx store.Tx, c *api.Call, in *ws.DescribeWorkspacesInput, filter []any) ([]*workspaceRecord, *string, error) {
	scanFilter, ixFilter := append(filter[:len(filter):len(filter)], "scan"), append(filter[:len(filter):len(filter)], "index")
	if in.WorkspaceName == nil && (in.NextToken == nil || s.isToken(c, *in.NextToken, scanFilter)) {
		n := int(api.ToInt32(in.Limit, defaultWorkspacePage))
		budget := n + 1
		if in.NextToken != nil {
			budget = 4 * (n + 1) // a continuation page: a short page beyond this
		}
		page, next, spent, err := readPageWithin(ctx, s, tx, c, scope(c, kindWorkspace), in.NextToken, in.Limit, defaultWorkspacePage, scanFilter, budget, func(r store.Record) (*workspaceRecord, bool, error) {
			w := new(workspaceRecord)
			if err := r.Decode(w); err != nil {
				return nil, false, err
			}
			w.setSeq(r.Seq)
			w.resolve(c.Now, s.delays)
			return w, !w.gone && (in.DirectoryId == nil || api.ToString(w.DirectoryId) == *in.DirectoryId) &&
				(in.BundleId == nil || api.ToString(w.BundleId) == *in.BundleId), nil
		})
		if err != nil || !spent || in.NextToken != nil {
			return page, next, err
		}
		// The first page's worth of records did not fill the page: the
		// filter is sparse, read the index from the start.
	}
	ix := ixScope(ixWorkspaceDir, api.ToString(in.DirectoryId), c.Account, c.Region)
	switch {
	case in.BundleId != nil:
		ix = ixScope(ixWorkspaceBundle, *in.BundleId, c.Account, c.Region)
	case in.WorkspaceName != nil:
		ix = ixScope(ixWorkspaceName, *in.WorkspaceName, c.Account, c.Region)
	}
	get := func(id string) (*workspaceRecord, error) { return s.getWorkspace(ctx, tx, c, id) }
	return indexPage(ctx, s, tx, c, ix, in.NextToken, in.Limit, defaultWorkspacePage, ixFilter, get, func(*workspaceRecord) bool { return true })
}

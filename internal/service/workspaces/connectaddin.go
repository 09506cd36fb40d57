package workspaces

// Amazon Connect client add-ins (spec §22): a directory holds at most one
// add-in, the name users see in the client's add-in menu and the URL of the
// Contact Control Panel. Not emulated: the client side (audio optimisation)
// and ResourceCreationFailedException, which has no cause here.

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

const (
	kindAddIn             = "workspaces.addin"
	defaultAddInPage      = 25 // spec §17.5
	maxAddInsPerDirectory = 1  // spec §17.3: "only one ... within a directory"
)

// addInRecord is a directory's add-in, keyed by the directory id.
type addInRecord struct {
	ws.ConnectClientAddIn
	CreatedAt time.Time `json:"createdAt"`
	// Directory is the registration's CreatedAt: an add-in of an earlier
	// registration of the same id (made while it was DEREGISTERING) is void.
	Directory time.Time `json:"directory"`
}

func addInKey(c *api.Call, dir string) store.Key { return key(c, kindAddIn, dir) }

// checkAddIn applies the rules beyond the model, whose AddInUrl pattern
// already asks for http:// or https:// (the generated validator): a name
// that is not blank and a URL with a host (inferred: spec §22.1).
func checkAddIn(name, u *string) error {
	if name != nil && strings.TrimSpace(*name) == "" {
		return invalidf("Name must not be blank.")
	}
	if u != nil {
		if p, err := url.Parse(*u); err != nil || p.Host == "" {
			return invalidf("URL %q is not an absolute http or https URL with a host.", *u)
		}
	}
	return nil
}

// addIn returns the directory's registration and its add-in (nil when it
// has none) once the directory is known to be the caller's.
func (s *Service) addIn(ctx context.Context, tx store.Tx, c *api.Call, dir string) (*directoryRecord, *addInRecord, error) {
	d, err := s.getDirectory(ctx, tx, c, dir)
	if err != nil {
		return nil, nil, err
	}
	r, err := lookup[addInRecord](ctx, tx, addInKey(c, dir))
	if r != nil && !r.Directory.Equal(d.CreatedAt) {
		r = nil
	}
	return d, r, err
}

// CreateConnectClientAddIn creates the directory's add-in.
func (s *Service) CreateConnectClientAddIn(ctx context.Context, c *api.Call, in *ws.CreateConnectClientAddInInput) (*ws.CreateConnectClientAddInOutput, error) {
	dir := *in.ResourceId
	id := uuid.NewString()
	err := s.update(ctx, func(tx store.Tx) error {
		d, existing, err := s.addIn(ctx, tx, c, dir)
		if err != nil {
			return err
		}
		if existing != nil {
			return &ws.ResourceAlreadyExistsException{Message: api.String(fmt.Sprintf("Directory %s already has Amazon Connect add-in %s; a directory can have %d. Update or delete it.", dir, *existing.AddInId, maxAddInsPerDirectory))}
		}
		if err := checkAddIn(in.Name, in.URL); err != nil {
			return err
		}
		r := addInRecord{CreatedAt: c.Now, Directory: d.CreatedAt}
		r.AddInId, r.ResourceId, r.Name, r.URL = &id, &dir, in.Name, in.URL
		return tx.Put(ctx, addInKey(c, dir), r)
	})
	if err != nil {
		return nil, err
	}
	return &ws.CreateConnectClientAddInOutput{AddInId: &id}, nil
}

// DescribeConnectClientAddIns lists the directory's add-in (zero or one).
func (s *Service) DescribeConnectClientAddIns(ctx context.Context, c *api.Call, in *ws.DescribeConnectClientAddInsInput) (*ws.DescribeConnectClientAddInsOutput, error) {
	var r *addInRecord
	err := s.view(ctx, func(tx store.Tx) (err error) {
		_, r, err = s.addIn(ctx, tx, c, *in.ResourceId)
		return err
	})
	if err != nil {
		return nil, err
	}
	var list []ws.ConnectClientAddIn
	if r != nil {
		list = append(list, r.ConnectClientAddIn)
	}
	page, next, err := pageOf(s, c, list, func(ws.ConnectClientAddIn) int64 { return 1 }, in.NextToken, in.MaxResults, defaultAddInPage, *in.ResourceId)
	if err != nil {
		return nil, err
	}
	return &ws.DescribeConnectClientAddInsOutput{AddIns: append(make([]ws.ConnectClientAddIn, 0, len(page)), page...), NextToken: next}, nil
}

// ownAddIn returns the directory's add-in when its id is addInID, else
// ResourceNotFoundException naming the add-in.
func (s *Service) ownAddIn(ctx context.Context, tx store.Tx, c *api.Call, dir, addInID string) (*addInRecord, error) {
	_, r, err := s.addIn(ctx, tx, c, dir)
	if err != nil {
		return nil, err
	}
	if r == nil || !strings.EqualFold(*r.AddInId, addInID) {
		return nil, &ws.ResourceNotFoundException{Message: api.String(fmt.Sprintf("Directory %s has no Amazon Connect add-in %s.", dir, addInID)), ResourceId: api.String(addInID)}
	}
	return r, nil
}

// UpdateConnectClientAddIn changes the add-in's name, URL or both.
func (s *Service) UpdateConnectClientAddIn(ctx context.Context, c *api.Call, in *ws.UpdateConnectClientAddInInput) (*ws.UpdateConnectClientAddInOutput, error) {
	dir := *in.ResourceId
	err := s.update(ctx, func(tx store.Tx) error {
		r, err := s.ownAddIn(ctx, tx, c, dir, *in.AddInId)
		if err != nil {
			return err
		}
		if in.Name == nil && in.URL == nil {
			return invalidf("Give Name, URL or both to update add-in %s.", *in.AddInId)
		}
		if err := checkAddIn(in.Name, in.URL); err != nil {
			return err
		}
		if in.Name != nil {
			r.Name = in.Name
		}
		if in.URL != nil {
			r.URL = in.URL
		}
		return tx.Put(ctx, addInKey(c, dir), r)
	})
	if err != nil {
		return nil, err
	}
	return &ws.UpdateConnectClientAddInOutput{}, nil
}

// DeleteConnectClientAddIn deletes the add-in; a new one may then be created.
func (s *Service) DeleteConnectClientAddIn(ctx context.Context, c *api.Call, in *ws.DeleteConnectClientAddInInput) (*ws.DeleteConnectClientAddInOutput, error) {
	dir := *in.ResourceId
	err := s.update(ctx, func(tx store.Tx) error {
		if _, err := s.ownAddIn(ctx, tx, c, dir, *in.AddInId); err != nil {
			return err
		}
		return tx.Delete(ctx, addInKey(c, dir))
	})
	if err != nil {
		return nil, err
	}
	return &ws.DeleteConnectClientAddInOutput{}, nil
}

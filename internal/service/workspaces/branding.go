package workspaces

// Client branding (spec §21): per directory and per platform, a logo, a
// support email or link, a forgot-password link and a login message. An
// import replaces what a platform had; DescribeClientBranding shows only
// what is stored (defaults are not materialised). Logos are stored in their
// own records (the branding record stays small) and shown as URLs of an
// AWS-like form that changes with every import. Not emulated: the minute
// clients take to see a change, and serving the logo bytes at those URLs.

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

const (
	kindBranding     = "workspaces.branding"
	kindBrandingLogo = "workspaces.brandinglogo"
	// maxBrandingImport is the documented 6 MB per ImportClientBranding
	// request, counted on decoded logos plus strings (inferred: spec §21.3).
	maxBrandingImport = 6_000_000
)

var (
	pngSignature = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}
	htmlTag      = regexp.MustCompile(`<\s*/?\s*([A-Za-z][A-Za-z0-9]*)`)
	// allowedLoginTags are the HTML tags a login message may use [D].
	allowedLoginTags = []string{"a", "b", "blockquote", "br", "cite", "code", "dd", "dl", "dt", "div", "em", "i", "li", "ol", "p", "pre", "q", "small", "span", "strike", "strong", "sub", "sup", "u", "ul"}
)

// brandingPlatform is what one platform has stored. Logos holds the
// version of each logo file ("logo.png", "logo@2x.png", "logo@3x.png").
type brandingPlatform struct {
	Logos              map[string]int    `json:"logos,omitempty"`
	SupportEmail       *string           `json:"supportEmail,omitempty"`
	SupportLink        *string           `json:"supportLink,omitempty"`
	ForgotPasswordLink *string           `json:"forgotPasswordLink,omitempty"`
	LoginMessage       map[string]string `json:"loginMessage,omitempty"`
}

// brandingRecord is a directory's branding by ClientDeviceType.
type brandingRecord struct {
	Platforms map[ws.ClientDeviceType]*brandingPlatform `json:"platforms"`
	// Version numbers logo imports so a new logo gets a new URL.
	Version int `json:"version"`
	// Directory is the registration's CreatedAt: branding of an earlier
	// registration of the same id (set while it was DEREGISTERING) is void.
	Directory time.Time `json:"directory"`
}

// brandingImport is one platform of an ImportClientBranding request.
type brandingImport struct {
	platform ws.ClientDeviceType
	logos    map[string][]byte
	email    *string
	link     *string
	forgot   *string
	message  map[string]string
}

func importsOf(in *ws.ImportClientBrandingInput) []brandingImport {
	var out []brandingImport
	def := func(p ws.ClientDeviceType, a *ws.DefaultImportClientBrandingAttributes) {
		if a != nil {
			out = append(out, brandingImport{p, map[string][]byte{"logo.png": a.Logo}, a.SupportEmail, a.SupportLink, a.ForgotPasswordLink, a.LoginMessage})
		}
	}
	def(ws.ClientDeviceTypeDevicetypewindows, in.DeviceTypeWindows)
	def(ws.ClientDeviceTypeDevicetypeosx, in.DeviceTypeOsx)
	def(ws.ClientDeviceTypeDevicetypeandroid, in.DeviceTypeAndroid)
	if a := in.DeviceTypeIos; a != nil {
		out = append(out, brandingImport{ws.ClientDeviceTypeDevicetypeios, map[string][]byte{"logo.png": a.Logo, "logo@2x.png": a.Logo2x, "logo@3x.png": a.Logo3x}, a.SupportEmail, a.SupportLink, a.ForgotPasswordLink, a.LoginMessage})
	}
	def(ws.ClientDeviceTypeDevicetypelinux, in.DeviceTypeLinux)
	def(ws.ClientDeviceTypeDevicetypeweb, in.DeviceTypeWeb)
	return out
}

// size counts the decoded logos and strings of one platform.
func (b *brandingImport) size() int {
	n := len(api.ToString(b.email)) + len(api.ToString(b.link)) + len(api.ToString(b.forgot))
	for _, l := range b.logos {
		n += len(l)
	}
	for k, v := range b.message {
		n += len(k) + len(v)
	}
	return n
}

// check applies the documented content rules beyond the model.
func (b *brandingImport) check() error {
	if b.email != nil && b.link != nil {
		return invalidf("%s: give SupportEmail or SupportLink, not both.", b.platform)
	}
	for _, name := range []string{"logo.png", "logo@2x.png", "logo@3x.png"} {
		if l := b.logos[name]; l != nil && !bytes.HasPrefix(l, pngSignature) {
			return invalidf("%s: %s is not PNG data; logos must be PNG images.", b.platform, logoMember(name))
		}
	}
	for loc, msg := range b.message {
		if loc != "en_US" {
			return invalidf("%s: LoginMessage locale %s is not supported; only en_US is.", b.platform, loc)
		}
		for _, m := range htmlTag.FindAllStringSubmatch(msg, -1) {
			if !slices.Contains(allowedLoginTags, strings.ToLower(m[1])) {
				return invalidf("%s: LoginMessage uses the HTML tag <%s>, which is not allowed (allowed: %s).", b.platform, m[1], strings.Join(allowedLoginTags, ", "))
			}
		}
	}
	return nil
}

func logoMember(file string) string {
	switch file {
	case "logo@2x.png":
		return "Logo2x"
	case "logo@3x.png":
		return "Logo3x"
	}
	return "Logo"
}

func brandingKey(c *api.Call, dir string) store.Key { return key(c, kindBranding, dir) }

func logoKey(c *api.Call, dir string, p ws.ClientDeviceType, file string) store.Key {
	return key(c, kindBrandingLogo, dir+"/"+string(p)+"/"+file)
}

// logoURL is where a client would download a logo (inferred form: spec §21.2).
func logoURL(c *api.Call, dir string, p ws.ClientDeviceType, version int, file string) *string {
	return api.String(fmt.Sprintf("https://workspaces-client-branding.s3.%s.amazonaws.com/%s/%s/%s/%d/%s", c.Region, c.Account, dir, p, version, file))
}

// brandingDirectory returns the caller's branding for a directory that is
// registered (in any state but DEREGISTERED), or ResourceNotFoundException.
func (s *Service) brandingDirectory(ctx context.Context, tx store.Tx, c *api.Call, dir string) (*brandingRecord, error) {
	d, err := s.getDirectory(ctx, tx, c, dir)
	if err != nil {
		return nil, err
	}
	r, err := lookup[brandingRecord](ctx, tx, brandingKey(c, dir))
	if err != nil {
		return nil, err
	}
	if r == nil || !r.Directory.Equal(d.CreatedAt) {
		r = &brandingRecord{Version: versionOf(r), Directory: d.CreatedAt}
	}
	if r.Platforms == nil {
		r.Platforms = map[ws.ClientDeviceType]*brandingPlatform{}
	}
	return r, nil
}

// versionOf keeps logo versions growing across registrations.
func versionOf(r *brandingRecord) int {
	if r == nil {
		return 0
	}
	return r.Version
}

// ImportClientBranding replaces the branding of each platform given.
func (s *Service) ImportClientBranding(ctx context.Context, c *api.Call, in *ws.ImportClientBrandingInput) (*ws.ImportClientBrandingOutput, error) {
	imports := importsOf(in)
	if len(imports) == 0 {
		return nil, invalidf("Name at least one platform (DeviceTypeWindows, DeviceTypeOsx, DeviceTypeAndroid, DeviceTypeIos, DeviceTypeLinux or DeviceTypeWeb).")
	}
	dir := *in.ResourceId
	var r *brandingRecord
	err := s.update(ctx, func(tx store.Tx) (err error) {
		if r, err = s.brandingDirectory(ctx, tx, c, dir); err != nil {
			return err
		}
		total := 0
		for i := range imports {
			total += imports[i].size()
		}
		if total > maxBrandingImport {
			return limitf("The request carries %d bytes of branding; the maximum is %d per request. Import the platforms in separate requests.", total, maxBrandingImport)
		}
		for i := range imports {
			if err := imports[i].check(); err != nil {
				return err
			}
		}
		r.Version++
		for _, b := range imports {
			if err := s.replacePlatform(ctx, tx, c, dir, r, &b); err != nil {
				return err
			}
		}
		return tx.Put(ctx, brandingKey(c, dir), r)
	})
	if err != nil {
		return nil, err
	}
	out := &ws.ImportClientBrandingOutput{}
	for _, b := range imports {
		setBranding(c, dir, b.platform, r.Platforms[b.platform], &out.DeviceTypeWindows, &out.DeviceTypeOsx, &out.DeviceTypeAndroid, &out.DeviceTypeIos, &out.DeviceTypeLinux, &out.DeviceTypeWeb)
	}
	return out, nil
}

// replacePlatform stores one platform's import in place of what it had.
func (s *Service) replacePlatform(ctx context.Context, tx store.Tx, c *api.Call, dir string, r *brandingRecord, b *brandingImport) error {
	if err := s.dropLogos(ctx, tx, c, dir, b.platform, r.Platforms[b.platform]); err != nil {
		return err
	}
	p := &brandingPlatform{SupportEmail: b.email, SupportLink: b.link, ForgotPasswordLink: b.forgot, LoginMessage: b.message}
	for file, data := range b.logos {
		if data == nil {
			continue
		}
		if p.Logos == nil {
			p.Logos = map[string]int{}
		}
		p.Logos[file] = r.Version
		if err := tx.Put(ctx, logoKey(c, dir, b.platform, file), data); err != nil {
			return err
		}
	}
	r.Platforms[b.platform] = p
	return nil
}

func (s *Service) dropLogos(ctx context.Context, tx store.Tx, c *api.Call, dir string, platform ws.ClientDeviceType, p *brandingPlatform) error {
	if p == nil {
		return nil
	}
	for file := range p.Logos {
		if err := deleteIfPresent(ctx, tx, logoKey(c, dir, platform, file)); err != nil {
			return err
		}
	}
	return nil
}

// setBranding puts one platform's stored branding into the output member
// of its platform (the six pointers, in ClientDeviceType order).
func setBranding(c *api.Call, dir string, platform ws.ClientDeviceType, p *brandingPlatform, win, osx, android **ws.DefaultClientBrandingAttributes, ios **ws.IosClientBrandingAttributes, linux, web **ws.DefaultClientBrandingAttributes) {
	if p == nil {
		return
	}
	url := func(file string) *string {
		if v, ok := p.Logos[file]; ok {
			return logoURL(c, dir, platform, v, file)
		}
		return nil
	}
	if platform == ws.ClientDeviceTypeDevicetypeios {
		*ios = &ws.IosClientBrandingAttributes{LogoUrl: url("logo.png"), Logo2xUrl: url("logo@2x.png"), Logo3xUrl: url("logo@3x.png"),
			SupportEmail: p.SupportEmail, SupportLink: p.SupportLink, ForgotPasswordLink: p.ForgotPasswordLink, LoginMessage: p.LoginMessage}
		return
	}
	a := &ws.DefaultClientBrandingAttributes{LogoUrl: url("logo.png"), SupportEmail: p.SupportEmail, SupportLink: p.SupportLink, ForgotPasswordLink: p.ForgotPasswordLink, LoginMessage: p.LoginMessage}
	switch platform {
	case ws.ClientDeviceTypeDevicetypewindows:
		*win = a
	case ws.ClientDeviceTypeDevicetypeosx:
		*osx = a
	case ws.ClientDeviceTypeDevicetypeandroid:
		*android = a
	case ws.ClientDeviceTypeDevicetypelinux:
		*linux = a
	case ws.ClientDeviceTypeDevicetypeweb:
		*web = a
	}
}

// DescribeClientBranding shows the platforms that have branding stored.
func (s *Service) DescribeClientBranding(ctx context.Context, c *api.Call, in *ws.DescribeClientBrandingInput) (*ws.DescribeClientBrandingOutput, error) {
	dir := *in.ResourceId
	var r *brandingRecord
	err := s.view(ctx, func(tx store.Tx) (err error) {
		r, err = s.brandingDirectory(ctx, tx, c, dir)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := &ws.DescribeClientBrandingOutput{}
	for platform, p := range r.Platforms {
		setBranding(c, dir, platform, p, &out.DeviceTypeWindows, &out.DeviceTypeOsx, &out.DeviceTypeAndroid, &out.DeviceTypeIos, &out.DeviceTypeLinux, &out.DeviceTypeWeb)
	}
	return out, nil
}

// DeleteClientBranding returns the named platforms to the default branding;
// platforms without custom branding are ignored (inferred).
func (s *Service) DeleteClientBranding(ctx context.Context, c *api.Call, in *ws.DeleteClientBrandingInput) (*ws.DeleteClientBrandingOutput, error) {
	dir := *in.ResourceId
	err := s.update(ctx, func(tx store.Tx) error {
		r, err := s.brandingDirectory(ctx, tx, c, dir)
		if err != nil {
			return err
		}
		for _, platform := range in.Platforms {
			if err := s.dropLogos(ctx, tx, c, dir, platform, r.Platforms[platform]); err != nil {
				return err
			}
			delete(r.Platforms, platform)
		}
		return tx.Put(ctx, brandingKey(c, dir), r)
	})
	if err != nil {
		return nil, err
	}
	return &ws.DeleteClientBrandingOutput{}, nil
}

// dropDirectoryExtras discards what a directory holds besides its settings
// when it is deregistered: its client branding and its Amazon Connect
// add-in (spec §21.1, §22).
func (s *Service) dropDirectoryExtras(ctx context.Context, tx store.Tx, c *api.Call, dir string) error {
	r, err := lookup[brandingRecord](ctx, tx, brandingKey(c, dir))
	if err != nil {
		return err
	}
	if r != nil {
		for platform, p := range r.Platforms {
			if err := s.dropLogos(ctx, tx, c, dir, platform, p); err != nil {
				return err
			}
		}
		if err := tx.Delete(ctx, brandingKey(c, dir)); err != nil {
			return err
		}
	}
	return deleteIfPresent(ctx, tx, addInKey(c, dir))
}

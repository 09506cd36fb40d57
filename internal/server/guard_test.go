package server

import "testing"

func TestHostAllowed(t *testing.T) {
	g := Guard{AllowedHosts: []string{"workspaces-local", "devbox.internal"}}
	for host, want := range map[string]bool{
		"127.0.0.1:4599": true, "[::1]:4599": true, "10.1.2.3": true, "localhost:4599": true, "LOCALHOST": true,
		"app.localhost:4599": true, "api.thinclient.us-east-1.amazonaws.com": true, "workspaces.cn-north-1.amazonaws.com.cn": true,
		"workspaces-local:4599": true, "api.workspaces-local:4599": true, "devbox.internal.": true, "": true,
		"evil.example": false, "evil.example:4599": false, "localhost.evil.example": false, "amazonaws.com.evil.example": false,
		"workspaces-local.evil.example": false,
	} {
		if got := g.hostAllowed(host); got != want {
			t.Errorf("hostAllowed(%q) = %v, want %v", host, got, want)
		}
	}
	if !(&Guard{AllowedHosts: []string{"*"}}).hostAllowed("anything.example") {
		t.Error("* does not allow any host")
	}
}

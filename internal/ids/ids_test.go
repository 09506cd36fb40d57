package ids

import (
	"regexp"
	"testing"
)

func TestRegistrationCode(t *testing.T) {
	for region, prefix := range map[string]string{
		"us-west-2": "WSpdx+", // the AWS CLI's describe-workspace-directories example
		"us-east-1": "WSiad+", "eu-west-1": "WSdub+", "ap-northeast-1": "WSnrt+",
		"xx-new-9": "WSxn9+", "xx": "WSxxx+", // unknown regions: initials, padded
	} {
		code := RegistrationCode(region)
		if !regexp.MustCompile(`^` + regexp.QuoteMeta(prefix) + `[A-Z0-9]{6}$`).MatchString(code) {
			t.Errorf("RegistrationCode(%s) = %s, want %s + 6 characters", region, code, prefix)
		}
	}
	if !KnownRegion("us-west-2") || KnownRegion("us-west-9") || len(Regions()) != len(regionCodes) {
		t.Error("KnownRegion / Regions")
	}
}

// Package ids generates resource identifiers and ARNs in the shapes the real
// services use and the models' patterns accept.
package ids

import (
	"crypto/rand"
	"fmt"
	"sort"
	"strings"
)

const (
	lowerAlnum = "0123456789abcdefghijklmnopqrstuvwxyz"
	upperAlnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	hexDigits  = "0123456789abcdef"
)

// Random returns n characters drawn uniformly from alphabet.
func Random(alphabet string, n int) string {
	buf := make([]byte, n)
	rnd := make([]byte, n)
	_, _ = rand.Read(rnd)
	for i := range buf {
		buf[i] = alphabet[int(rnd[i])%len(alphabet)]
	}
	return string(buf)
}

// IPGroup returns a new IP access control group id: wsipg- + 9 [0-9a-z].
func IPGroup() string { return "wsipg-" + Random(lowerAlnum, 9) }

// SecurityGroup returns a new security group id: sg- + 17 hex.
func SecurityGroup() string { return "sg-" + Random(hexDigits, 17) }

// Subnet returns a new subnet id: subnet- + 17 hex.
func Subnet() string { return "subnet-" + Random(hexDigits, 17) }

// PrivateIPv4 returns an address in 172.16.0.0/16 (the emulated directory
// subnets), never .0 or .255 in the last octet.
func PrivateIPv4() string {
	b := make([]byte, 2)
	_, _ = rand.Read(b)
	return fmt.Sprintf("172.16.%d.%d", b[0], 1+int(b[1])%254)
}

// RegistrationCode returns a directory registration code such as WSpdx+9RJ8JT:
// "WS", a three-letter region code, "+", six [A-Z0-9].
func RegistrationCode(region string) string {
	return "WS" + regionCode(region) + "+" + Random(upperAlnum, 6)
}

// regionCodes are every AWS region a credential scope may name (every
// commercial, China and GovCloud region, and the ISO regions whose names are
// public; identity refuses any other, so a typo never creates a region),
// with the three-letter code AWS uses in its registration codes: the code of
// the region's main airport (WSpdx+ in us-west-2 is in the AWS CLI's
// describe-workspace-directories example; the others are inferred from the
// same airport-code convention). "" means no code is known: the region's
// initials stand in (regionCode).
var regionCodes = map[string]string{
	// aws
	"us-east-1": "iad", "us-east-2": "cmh", "us-west-1": "sfo", "us-west-2": "pdx",
	"af-south-1": "cpt", "ap-east-1": "hkg", "ap-east-2": "tpe", "ap-south-1": "bom", "ap-south-2": "hyd",
	"ap-northeast-1": "nrt", "ap-northeast-2": "icn", "ap-northeast-3": "kix",
	"ap-southeast-1": "sin", "ap-southeast-2": "syd", "ap-southeast-3": "cgk", "ap-southeast-4": "mel",
	"ap-southeast-5": "kul", "ap-southeast-6": "akl", "ap-southeast-7": "bkk",
	"ca-central-1": "yul", "ca-west-1": "yyc", "eu-central-1": "fra", "eu-central-2": "zrh",
	"eu-west-1": "dub", "eu-west-2": "lhr", "eu-west-3": "cdg", "eu-north-1": "arn",
	"eu-south-1": "mxp", "eu-south-2": "zaz", "il-central-1": "tlv", "me-central-1": "dxb",
	"me-south-1": "bah", "mx-central-1": "qro", "sa-east-1": "gru",
	// aws-us-gov, aws-cn
	"us-gov-west-1": "pdt", "us-gov-east-1": "osu",
	"cn-north-1": "bjs", "cn-northwest-1": "zhy",
	// aws-iso, aws-iso-b, aws-iso-e, aws-iso-f
	"us-iso-east-1": "", "us-iso-west-1": "", "us-isob-east-1": "",
	"eu-isoe-west-1": "", "us-isof-south-1": "", "us-isof-east-1": "",
}

// Regions lists the regions the emulator knows by name, sorted.
func Regions() []string {
	out := make([]string, 0, len(regionCodes))
	for r := range regionCodes {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// KnownRegion reports whether region is one Regions lists.
func KnownRegion(region string) bool {
	_, ok := regionCodes[region]
	return ok
}

// regionCode returns the region's code; a region not in the table gets the
// first letters of its parts (inferred), padded to three characters.
func regionCode(region string) string {
	if c := regionCodes[region]; c != "" {
		return c
	}
	var b strings.Builder
	for _, p := range strings.Split(region, "-") {
		if p != "" {
			b.WriteByte(p[0])
		}
	}
	s := b.String()
	for len(s) < 3 {
		s += "x"
	}
	return strings.ToLower(s[:3])
}

// ARN builds arn:<partition>:<service>:<region>:<account>:<resource>.
func ARN(partition, service, region, account, resource string) string {
	return "arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resource
}

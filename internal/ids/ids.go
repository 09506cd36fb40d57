// Package ids generates resource identifiers and ARNs in the shapes the real
// services use and the models' patterns accept.
package ids

import (
	"crypto/rand"
	"fmt"
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

// regionCode abbreviates a region the way registration codes do (inferred:
// first letters of its parts, lower case, three characters).
func regionCode(region string) string {
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

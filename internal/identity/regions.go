package identity

// regions are the AWS regions a credential scope may name: every
// commercial, China and GovCloud region, and the ISO regions whose names are
// public. A scope naming any other region is refused (AWS: "Credential
// should be scoped to a valid region"), so a typo never creates a region.
var regions = map[string]struct{}{
	// aws
	"us-east-1": {}, "us-east-2": {}, "us-west-1": {}, "us-west-2": {},
	"af-south-1": {},
	"ap-east-1":  {}, "ap-east-2": {},
	"ap-south-1": {}, "ap-south-2": {},
	"ap-northeast-1": {}, "ap-northeast-2": {}, "ap-northeast-3": {},
	"ap-southeast-1": {}, "ap-southeast-2": {}, "ap-southeast-3": {}, "ap-southeast-4": {},
	"ap-southeast-5": {}, "ap-southeast-6": {}, "ap-southeast-7": {},
	"ca-central-1": {}, "ca-west-1": {},
	"eu-central-1": {}, "eu-central-2": {},
	"eu-west-1": {}, "eu-west-2": {}, "eu-west-3": {},
	"eu-south-1": {}, "eu-south-2": {},
	"eu-north-1":   {},
	"il-central-1": {},
	"me-south-1":   {}, "me-central-1": {},
	"mx-central-1": {},
	"sa-east-1":    {},
	// aws-cn
	"cn-north-1": {}, "cn-northwest-1": {},
	// aws-us-gov
	"us-gov-west-1": {}, "us-gov-east-1": {},
	// aws-iso, aws-iso-b, aws-iso-e, aws-iso-f
	"us-iso-east-1": {}, "us-iso-west-1": {},
	"us-isob-east-1":  {},
	"eu-isoe-west-1":  {},
	"us-isof-south-1": {}, "us-isof-east-1": {},
}

// KnownRegion reports whether region is in the list above.
func KnownRegion(region string) bool {
	_, ok := regions[region]
	return ok
}

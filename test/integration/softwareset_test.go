package integration

import (
	"testing"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/workspacesthinclient"

	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

func TestSoftwareSets(t *testing.T) {
	env := testenv.Start(t)
	a := env.ThinClient(testenv.AccountA, testenv.Region)
	b := env.ThinClient(testenv.AccountB, testenv.Region)

	var ids []string
	pages := 0
	err := a.ListSoftwareSetsPages(&workspacesthinclient.ListSoftwareSetsInput{MaxResults: aws.Int64(3)}, func(out *workspacesthinclient.ListSoftwareSetsOutput, last bool) bool {
		pages++
		for _, s := range out.SoftwareSets {
			ids = append(ids, *s.Id)
			if s.ReleasedAt == nil || s.ValidationStatus == nil || *s.ValidationStatus != "NOT_VALIDATED" {
				t.Fatalf("summary %+v", s)
			}
		}
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages != 2 || len(ids) != 4 || ids[0] != "1004" || ids[3] != "1001" {
		t.Fatalf("listed %v in %d pages; want newest first over 2 pages", ids, pages)
	}

	got, err := a.GetSoftwareSet(&workspacesthinclient.GetSoftwareSetInput{Id: aws.String("1003")})
	if err != nil {
		t.Fatal(err)
	}
	s := got.SoftwareSet
	if *s.Version != "2025.01.1" || len(s.Software) != 3 || s.SupportedUntil == nil || s.SupportedUntil.Year() != 2099 ||
		*s.Arn != "arn:aws:thinclient:us-east-1:111111111111:softwareset/1003" {
		t.Fatalf("software set = %+v", s)
	}
	if s.ReleasedAt.UTC().Format("2006-01-02") != "2025-01-15" {
		t.Fatalf("releasedAt = %v", s.ReleasedAt)
	}
	latest, _ := a.GetSoftwareSet(&workspacesthinclient.GetSoftwareSetInput{Id: aws.String("1004")})
	if latest.SoftwareSet.SupportedUntil != nil {
		t.Fatalf("current release has supportedUntil %v", latest.SoftwareSet.SupportedUntil)
	}

	if _, err := a.UpdateSoftwareSet(&workspacesthinclient.UpdateSoftwareSetInput{Id: aws.String("1003"), ValidationStatus: aws.String("VALIDATED")}); err != nil {
		t.Fatal(err)
	}
	if got, _ := a.GetSoftwareSet(&workspacesthinclient.GetSoftwareSetInput{Id: aws.String("1003")}); *got.SoftwareSet.ValidationStatus != "VALIDATED" {
		t.Fatalf("mark not stored: %v", *got.SoftwareSet.ValidationStatus)
	}
	if got, _ := b.GetSoftwareSet(&workspacesthinclient.GetSoftwareSetInput{Id: aws.String("1003")}); *got.SoftwareSet.ValidationStatus != "NOT_VALIDATED" ||
		*got.SoftwareSet.Arn != "arn:aws:thinclient:us-east-1:222222222222:softwareset/1003" {
		t.Fatalf("account B sees %+v", got.SoftwareSet)
	}

	_, err = a.GetSoftwareSet(&workspacesthinclient.GetSoftwareSetInput{Id: aws.String("999999999")})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = a.GetSoftwareSet(&workspacesthinclient.GetSoftwareSetInput{Id: aws.String("abc")})
	wantCode(t, err, "ValidationException")
	_, err = a.ListSoftwareSets(&workspacesthinclient.ListSoftwareSetsInput{MaxResults: aws.Int64(51)})
	wantCode(t, err, "ValidationException")
	_, err = a.ListSoftwareSets(&workspacesthinclient.ListSoftwareSetsInput{NextToken: aws.String("not-a-token")})
	wantCode(t, err, "ValidationException")
	_, err = a.UpdateSoftwareSet(&workspacesthinclient.UpdateSoftwareSetInput{Id: aws.String("1003"), ValidationStatus: aws.String("MAYBE")})
	wantCode(t, err, "ValidationException")
	// A token of account A is foreign to account B.
	first, _ := a.ListSoftwareSets(&workspacesthinclient.ListSoftwareSetsInput{MaxResults: aws.Int64(1)})
	_, err = b.ListSoftwareSets(&workspacesthinclient.ListSoftwareSetsInput{MaxResults: aws.Int64(1), NextToken: first.NextToken})
	wantCode(t, err, "ValidationException")
}

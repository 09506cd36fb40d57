package app

import (
	"reflect"
	"testing"

	wssvc "github.com/workspaces-local/workspaces-local/internal/service/workspaces"
)

// Every quota left at zero takes its own default, and one that is set stays:
// a new Quotas field that withDefaultQuotas forgets fails here.
func TestWithDefaultQuotasFieldByField(t *testing.T) {
	if got := withDefaultQuotas(wssvc.Quotas{}); got != wssvc.DefaultQuotas {
		t.Errorf("zero quotas = %+v, want the defaults %+v", got, wssvc.DefaultQuotas)
	}
	v := reflect.ValueOf(wssvc.DefaultQuotas)
	for i := range v.NumField() {
		var q wssvc.Quotas
		reflect.ValueOf(&q).Elem().Field(i).SetInt(7)
		got := reflect.ValueOf(withDefaultQuotas(q))
		for j := range v.NumField() {
			want := v.Field(j).Int()
			if j == i {
				want = 7
			}
			if got.Field(j).Int() != want {
				t.Errorf("setting only %s: %s = %d, want %d", v.Type().Field(i).Name, v.Type().Field(j).Name, got.Field(j).Int(), want)
			}
		}
	}
}

// Package gen turns a botocore service model (service-2.json plus
// paginators-1.json) into the Go of one generated package under
// internal/api/<service>: shapes, enums, exceptions, the operation table and
// Handler interface, validators and, for REST protocols, HTTP bindings.
// cmd/wsgen is its command-line front end.
package gen

import (
	"encoding/json"
	"fmt"
	"os"
)

// Model is the subset of a botocore service model the generator reads.
type Model struct {
	Metadata   Metadata              `json:"metadata"`
	Operations map[string]*Operation `json:"operations"`
	Shapes     map[string]*Shape     `json:"shapes"`
}

// Metadata is the model's metadata block.
type Metadata struct {
	APIVersion     string `json:"apiVersion"`
	EndpointPrefix string `json:"endpointPrefix"`
	JSONVersion    string `json:"jsonVersion"`
	Protocol       string `json:"protocol"`
	ServiceID      string `json:"serviceId"`
	SigningName    string `json:"signingName"`
	TargetPrefix   string `json:"targetPrefix"`
}

// Operation is one operation of the model.
type Operation struct {
	Name     string `json:"name"`
	HTTP     HTTP   `json:"http"`
	Input    *Ref   `json:"input"`
	Output   *Ref   `json:"output"`
	Errors   []Ref  `json:"errors"`
	Endpoint *struct {
		HostPrefix string `json:"hostPrefix"`
	} `json:"endpoint"`
}

// HTTP is an operation's HTTP binding.
type HTTP struct {
	Method       string `json:"method"`
	RequestURI   string `json:"requestUri"`
	ResponseCode int    `json:"responseCode"`
}

// Ref points at a shape, with the member-level binding traits.
type Ref struct {
	Shape            string `json:"shape"`
	Location         string `json:"location"`
	LocationName     string `json:"locationName"`
	IdempotencyToken bool   `json:"idempotencyToken"`
}

// Shape is one shape of the model.
type Shape struct {
	Type      string          `json:"type"`
	Members   map[string]*Ref `json:"members"`
	Required  []string        `json:"required"`
	Member    *Ref            `json:"member"`
	Key       *Ref            `json:"key"`
	Value     *Ref            `json:"value"`
	Enum      []string        `json:"enum"`
	Pattern   string          `json:"pattern"`
	Min       *float64        `json:"min"`
	Max       *float64        `json:"max"`
	Exception bool            `json:"exception"`
	Fault     bool            `json:"fault"`
	Error     *struct {
		HTTPStatusCode int  `json:"httpStatusCode"`
		SenderFault    bool `json:"senderFault"`
	} `json:"error"`
}

// Paginators is paginators-1.json.
type Paginators struct {
	Pagination map[string]struct {
		InputToken  any    `json:"input_token"`
		OutputToken any    `json:"output_token"`
		LimitKey    string `json:"limit_key"`
		ResultKey   any    `json:"result_key"`
	} `json:"pagination"`
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

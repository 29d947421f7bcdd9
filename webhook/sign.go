// Package webhook delivers events to merchants' endpoints as the Standard
// Webhooks specification describes: signed (HMAC-SHA256 over
// "id.timestamp.body"), retried on a schedule, one client's events in
// order, through an HTTP client that refuses private and reserved
// addresses. It depends only on the root package; cmd/fatora wires it to a
// store and to the API's rendering of events.
package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"
)

// SecretPrefix starts every signing secret, as the Standard has it.
const SecretPrefix = "whsec_"

// secretBytes is the length of a new secret's key (the Standard allows 24
// to 64).
const secretBytes = 32

// NewSecret returns a new signing secret: "whsec_" and 32 random bytes in
// standard base64.
func NewSecret() string {
	key := make([]byte, secretBytes)
	rand.Read(key) // never fails (crypto/rand)
	return SecretPrefix + base64.StdEncoding.EncodeToString(key)
}

// Header names of a delivery.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// Signature returns the webhook-signature header of a message id sent at
// ts with body: "v1,<base64 HMAC-SHA256 of id.timestamp.body>" for each
// secret, separated by spaces (two during a rotation).
func Signature(secrets []string, id string, ts time.Time, body []byte) (string, error) {
	sigs := make([]string, 0, len(secrets))
	for _, s := range secrets {
		key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(s, SecretPrefix))
		if err != nil || len(key) == 0 {
			return "", errors.New("webhook: a signing secret is not whsec_ and base64")
		}
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(id + "." + strconv.FormatInt(ts.Unix(), 10) + "."))
		mac.Write(body)
		sigs = append(sigs, "v1,"+base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	}
	return strings.Join(sigs, " "), nil
}

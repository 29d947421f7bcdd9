package fatora

import (
	"context"
	"strconv"
	"time"
)

// Merchant is an account holder: a business whose systems call the API.
type Merchant struct {
	ID int64
	// Number is the public merchant number, as in Fatora's tokens
	// ("<number>-:<email>").
	Number   string
	Name     string
	Email    string
	Disabled bool
	// Region is the country (ISO 3166-1 alpha-2) whose numbering plan reads
	// its clients' phones written without a country prefix; "" is
	// DefaultRegion.
	Region    string
	CreatedAt time.Time
}

// merchantNumberBase offsets merchant numbers from row ids, so the first
// merchant is 10001.
const merchantNumberBase = 10000

// MerchantNumber returns the public number of the merchant whose id is id.
// Stores call it once they know the id of a merchant they create.
func MerchantNumber(id int64) string { return strconv.FormatInt(merchantNumberBase+id, 10) }

// SetID gives a merchant being created the id its store drew, the number
// derived from it (see MerchantNumber), and makes keys, its initial keys,
// its own.
func (m *Merchant) SetID(id int64, keys []*APIKey) {
	m.ID, m.Number = id, MerchantNumber(id)
	for _, k := range keys {
		k.MerchantID = id
	}
}

// APIKey is a merchant's credential for one mode. The key's value is never
// stored: only its SHA-256 hash and a short prefix to recognise it by.
type APIKey struct {
	// ID is the key's public identifier (a GUID). Tokens issued from the key
	// carry it, so revoking the key invalidates them.
	ID         string
	MerchantID int64
	Mode       Mode
	// Prefix is the start of the key's value, safe to show and log.
	Prefix    string
	Hash      []byte
	CreatedAt time.Time
	// RevokedAt is zero while the key is active: the time it was revoked,
	// or is to be (a rotation's grace period).
	RevokedAt time.Time
	// LastUsedAt is when the key, or a token issued from it, last
	// authenticated a request, to within KeyUseFlushEvery; zero if never.
	LastUsedAt time.Time
}

// maxKeyTextRunes caps an API key's id and prefix.
const maxKeyTextRunes = 200

// Validate checks a new key's id and prefix: at most 200 characters of
// valid UTF-8 without control characters. Errors: invalid_field.
func (k *APIKey) Validate() error {
	for _, field := range [...]struct{ name, value string }{{"id", k.ID}, {"prefix", k.Prefix}} {
		if _, msg := normalizeText(field.value, fieldRule{name: field.name, maxRunes: maxKeyTextRunes}); msg != "" {
			return Errorf(CodeInvalidField, "The API key's %s %s.", field.name, msg)
		}
	}
	return nil
}

// Revoked reports whether the key has been revoked, or is to be.
func (k APIKey) Revoked() bool { return !k.RevokedAt.IsZero() }

// RevokedBy reports whether the key is revoked at now.
func (k APIKey) RevokedBy(now time.Time) bool { return k.Revoked() && !k.RevokedAt.After(now) }

// Credential is an API key together with the merchant it belongs to.
type Credential struct {
	Key      APIKey
	Merchant Merchant
}

// Check returns key_revoked or merchant_disabled when the credential may not
// be used at now, and nil when it may.
func (c Credential) Check(now time.Time) error {
	if c.Key.RevokedBy(now) {
		return Errorf(CodeKeyRevoked, "This API key has been revoked.")
	}
	if c.Merchant.Disabled {
		return Errorf(CodeMerchantDisabled, "This merchant account is disabled.")
	}
	return nil
}

// Scope returns the tenant the credential acts for.
func (c Credential) Scope() Scope {
	return Scope{MerchantID: c.Merchant.ID, Mode: c.Key.Mode, Region: c.Merchant.Region}
}

// SigningSecret is the HMAC secret tokens are signed with. It is created once
// per database, so every server on one database accepts the same tokens.
type SigningSecret struct {
	ID     string
	Secret []byte
}

// CredentialFinder finds the credential an API key or a token names: all
// that authentication needs of a store. It is not scoped to a merchant.
type CredentialFinder interface {
	// FindCredentialByHash finds the key whose hash is given, revoked or not.
	// Errors: not_found.
	FindCredentialByHash(ctx context.Context, hash []byte) (Credential, error)
	// FindCredentialByKeyID finds a key by its public id. Errors: not_found.
	FindCredentialByKeyID(ctx context.Context, keyID string) (Credential, error)
}

// MerchantService manages merchants, their API keys and the token signing
// secret. It is used by the operator's commands; authentication uses only
// its CredentialFinder. It is not scoped to a merchant.
type MerchantService interface {
	CredentialFinder
	// CreateMerchant stores m and its initial keys in one transaction, filling
	// m.ID, m.Number, m.CreatedAt and each key's MerchantID and CreatedAt.
	// Errors: invalid_field, conflict (e-mail or key already registered).
	CreateMerchant(ctx context.Context, m *Merchant, keys []*APIKey) error
	// FindMerchantByNumber returns a merchant. Errors: not_found.
	FindMerchantByNumber(ctx context.Context, number string) (Merchant, error)
	// SetMerchantDisabled disables or re-enables a merchant. Errors: not_found.
	SetMerchantDisabled(ctx context.Context, merchantID int64, disabled bool) error
	// SetMerchantRegion changes a merchant's default region (see
	// ParseRegion) for the clients written and the keywords searched from
	// then on, within seconds on every server. Errors: not_found,
	// invalid_field.
	SetMerchantRegion(ctx context.Context, merchantID int64, region string) error
	// CreateAPIKey stores a new key, filling CreatedAt. Errors: conflict.
	CreateAPIKey(ctx context.Context, k *APIKey) error
	// RevokeAPIKey revokes one of a merchant's keys. Errors: not_found.
	RevokeAPIKey(ctx context.Context, merchantID int64, keyID string) error
	// ScheduleKeyRevocation revokes one of a merchant's keys at a time to
	// come (or past), unless it is revoked earlier. Errors: not_found.
	ScheduleKeyRevocation(ctx context.Context, merchantID int64, keyID string, at time.Time) error
	// FindAPIKeys lists a merchant's keys, oldest first.
	FindAPIKeys(ctx context.Context, merchantID int64) ([]APIKey, error)
	// ListMerchants lists every merchant in number order.
	ListMerchants(ctx context.Context) ([]Merchant, error)
	// ListAPIKeys lists every merchant's keys, by merchant, oldest first.
	ListAPIKeys(ctx context.Context) ([]APIKey, error)
	// RecordKeyUse sets the LastUsedAt of the keys named (by id) to the
	// times given, unless a key has a later one already. Unknown ids are
	// skipped.
	RecordKeyUse(ctx context.Context, lastUsed map[string]time.Time) error
	// SigningSecret returns the database's token signing secret, creating it
	// on first use with newSecret. Safe for concurrent callers and servers.
	SigningSecret(ctx context.Context, newSecret func() (SigningSecret, error)) (SigningSecret, error)
	// RotateSigningSecret makes fresh the secret new tokens are signed
	// with. The secret it replaces becomes a previous one: tokens it signed
	// still verify until they expire.
	RotateSigningSecret(ctx context.Context, fresh SigningSecret) error
	// PreviousSigningSecrets lists the secrets rotated out and not
	// revoked, the latest first.
	PreviousSigningSecrets(ctx context.Context) ([]SigningSecret, error)
	// RevokePreviousSigningSecrets forgets every previous secret, so that
	// the tokens they signed are refused, and says how many there were.
	RevokePreviousSigningSecrets(ctx context.Context) (int, error)
}

// Validate checks a new merchant's name and e-mail address, and puts the
// name in NFC.
func (m *Merchant) Validate() error {
	name, msg := normalizeText(m.Name, fieldRule{name: "name", maxRunes: MaxNameRunes})
	if msg == "" && IsBlank(name) {
		msg = "is required and must not be blank"
	}
	if msg != "" {
		return Errorf(CodeInvalidField, "The merchant name %s.", msg)
	}
	m.Name = name
	if m.Region == "" {
		m.Region = DefaultRegion
	}
	region, err := ParseRegion(m.Region)
	if err != nil {
		return err
	}
	m.Region = region
	if !ValidEmail(m.Email) {
		return Errorf(CodeInvalidField, "%q is not a valid e-mail address.", m.Email)
	}
	return nil
}

// MerchantEmailTaken is the conflict error for a new merchant whose e-mail
// address another merchant has (compared case-folded).
func MerchantEmailTaken(email string) *Error {
	return Errorf(CodeConflict, "A merchant with the e-mail %s already exists.", email)
}

// APIKeyTaken is the conflict error for a new API key whose value (hash)
// or id another key has.
func APIKeyTaken() *Error {
	return Errorf(CodeConflict, "This API key is already registered.")
}

// MerchantNumberNotFound is the error for a merchant number no merchant has.
func MerchantNumberNotFound(number string) *Error {
	return Errorf(CodeNotFound, "No merchant has the number %s.", number)
}

// MerchantNotFound is the error for a merchant id no merchant has.
func MerchantNotFound() *Error {
	return Errorf(CodeNotFound, "No such merchant.")
}

// MerchantKeyNotFound is the error for a key id the merchant has no key
// with (none at all, or another merchant's).
func MerchantKeyNotFound() *Error {
	return Errorf(CodeNotFound, "The merchant has no API key with this id.")
}

// CredentialNotFound is the error for a key hash or key id no API key has.
func CredentialNotFound() *Error {
	return Errorf(CodeNotFound, "No such API key.")
}

// KeyUseFlushEvery is how often a server writes down when its keys were
// last used: APIKey.LastUsedAt is that accurate.
const KeyUseFlushEvery = time.Minute

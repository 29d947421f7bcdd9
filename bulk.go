package fatora

// BulkAction is what a bulk change does to each of its clients.
type BulkAction string

// The bulk actions.
const (
	BulkDelete  BulkAction = "delete"
	BulkRestore BulkAction = "restore"
)

// MaxBulkIDs bounds the clients of one bulk change.
const MaxBulkIDs = 100

// ClientBulk is one action on several clients, made in one transaction:
// each client gets the result a change of its own would have had, and one
// client's refusal leaves the others' changes standing. The store fills
// Results, in the order of IDs, before the answer kept for an idempotency
// key is rendered (see Idempotency.Render), so a renderer may read them.
type ClientBulk struct {
	Action  BulkAction
	IDs     []int64
	Results []BulkResult
}

// BulkResult is what the action did to one client: Err is nil on success
// (Client is then the restored client for a restore, zero for a delete),
// or the error a change of its own would have got.
type BulkResult struct {
	ID     int64
	Client Client
	Err    error
}

// Check refuses an action that is none, no ids or more than MaxBulkIDs,
// an id that names no client and an id given twice. Errors: invalid_field.
func (b *ClientBulk) Check() error {
	if b.Action != BulkDelete && b.Action != BulkRestore {
		return bulkProblem("action", "must be delete or restore")
	}
	if len(b.IDs) == 0 || len(b.IDs) > MaxBulkIDs {
		return bulkProblem("ids", "must list 1 to 100 client ids")
	}
	seen := make(map[int64]bool, len(b.IDs))
	for _, id := range b.IDs {
		if id < 1 || seen[id] {
			return bulkProblem("ids", "must list each client once, by its id (a whole number of at least 1)")
		}
		seen[id] = true
	}
	return nil
}

func bulkProblem(field, msg string) *Error {
	return &Error{Code: CodeInvalidField, Message: "Invalid bulk change: " + field + " " + msg + ".",
		Fields: []FieldError{{Field: field, Message: msg}}}
}

// Apply makes b's action on each client, with del or restore, in order,
// and fills b.Results. A client's refusal (not_found, duplicate_client) is
// its result; any other error stops it and is returned, for the store to
// give up the whole transaction.
func (b *ClientBulk) Apply(del func(id int64) error, restore func(id int64) (Client, error)) error {
	b.Results = make([]BulkResult, len(b.IDs))
	for i, id := range b.IDs {
		r := BulkResult{ID: id}
		if b.Action == BulkDelete {
			r.Err = del(id)
		} else {
			r.Client, r.Err = restore(id)
		}
		if code := ErrorCode(r.Err); r.Err != nil && code != CodeNotFound && code != CodeDuplicateClient {
			return r.Err
		}
		b.Results[i] = r
	}
	return nil
}

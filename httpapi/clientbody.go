package httpapi

import (
	"strconv"
	"strings"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/strictjson"
)

// clientMembers are the members a client body may have, matched in any
// letter case: the five fields ("note" beside "notes", as the seed's C#
// class sends it) and the rest of the client object the API answers with,
// so that an object read from the API can be written back unchanged.
var clientMembers = strictjson.Fields{
	"name": "name", "phone": "phone", "email": "email", "address": "address", "notes": "notes", "note": "note",
	"id": "id", "created_at": "created_at", "updated_at": "updated_at", "metadata": "metadata",
}

// clientBody is a decoded create or update body.
type clientBody struct {
	update fatora.ClientUpdate
	// id is the body's id member; 0 when it is absent, null, "" or 0 (what
	// a .NET class sends for an id it never set).
	id int64
}

// decodeClient decodes a create or update body. A null optional member
// means "no value"; name may not be null. A number sent for a text member
// is kept as its literal text. created_at and updated_at are ignored (the
// server keeps the times); note and notes must agree when both are sent.
func decodeClient(body []byte) (clientBody, error) {
	members, err := strictjson.DecodeObject(body, clientMembers, "metadata")
	if err != nil {
		return clientBody{}, bodyError(err)
	}
	var b clientBody
	if v, ok := members["name"]; ok && v.Null {
		return b, invalidField("name", "must be a string; it cannot be null")
	}
	if b.id, err = bodyID(members["id"]); err != nil {
		return b, err
	}
	if b.update.Notes, err = notesMember(members); err != nil {
		return b, err
	}
	b.update.Name = textMember(members, "name")
	b.update.Phone = textMember(members, "phone")
	b.update.Email = textMember(members, "email")
	b.update.Address = textMember(members, "address")
	b.update.Metadata, err = metadataMember(members)
	return b, err
}

// metadataMember returns the metadata change of a body: each key set to
// its text, or removed by null or "". Without the member nothing changes;
// the member itself must be an object (null or text would be ambiguous).
func metadataMember(members map[string]strictjson.Value) (fatora.MetadataChange, error) {
	v, ok := members["metadata"]
	if !ok {
		return nil, nil
	}
	if v.Object == nil {
		return nil, invalidField("metadata", "must be an object of keys and text values; set a key to null or \"\" to remove it")
	}
	change := fatora.MetadataChange{}
	for k, kv := range v.Object {
		if kv.Null {
			change[k] = nil
		} else {
			change[k] = &kv.String
		}
	}
	return change, nil
}

// textMember returns the text of a member, "" for null, nil when absent.
func textMember(members map[string]strictjson.Value, field string) *string {
	v, ok := members[field]
	if !ok {
		return nil
	}
	return &v.String
}

// notesMember returns the notes, sent as "notes", "note" or both; both must
// agree (null and "" both mean none).
func notesMember(members map[string]strictjson.Value) (*string, error) {
	notes, note := textMember(members, "notes"), textMember(members, "note")
	switch {
	case notes == nil:
		return note, nil
	case note != nil && *note != *notes:
		msg := "note and notes are the same field; when both are sent they must be equal"
		return nil, &fatora.Error{Code: fatora.CodeInvalidField, Message: "Invalid client: " + msg + ".",
			Fields: []fatora.FieldError{{Field: "note", Message: msg}, {Field: "notes", Message: msg}}}
	}
	return notes, nil
}

// bodyID reads the id member: a whole number, as a number or as text.
func bodyID(v strictjson.Value) (int64, error) {
	s := strings.TrimSpace(v.String)
	if v.Null || s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 0 {
		return 0, invalidField("id", "must be the client's id, a whole number")
	}
	return id, nil
}

// checkBodyID refuses an update whose body names another client than its
// path: writing one client's object to another's address is a mistake.
func checkBodyID(b clientBody, pathID int64) error {
	if b.id != 0 && b.id != pathID {
		return invalidField("id", "must equal the id in the path ("+strconv.FormatInt(pathID, 10)+") or be left out; it is "+
			strconv.FormatInt(b.id, 10))
	}
	return nil
}

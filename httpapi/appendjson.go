package httpapi

import (
	"strconv"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/strictjson"
)

// jsonAppender is a response that writes its own JSON, byte for byte what
// encodeJSON would make of it by reflection, without the reflection: the
// client bodies, the API's most frequent answers.
type jsonAppender interface {
	appendJSON(b []byte) []byte
}

func (c clientJSON) appendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, c.ID, 10)
	b = appendMember(b, "name", c.Name)
	b = appendMember(b, "phone", c.Phone)
	b = appendMember(b, "email", c.Email)
	b = appendMember(b, "address", c.Address)
	b = appendMember(b, "note", c.Note)
	b = appendMember(b, "notes", c.Notes)
	b = appendMember(b, "created_at", c.CreatedAt)
	b = appendMember(b, "updated_at", c.UpdatedAt)
	b = append(b, `,"metadata":`...)
	b = appendStringMap(b, c.Metadata)
	if c.DeletedAt != "" {
		b = appendMember(b, "deleted_at", c.DeletedAt)
	}
	return append(b, '}')
}

func (r clientResponse) appendJSON(b []byte) []byte {
	b = append(b, `{"status":`...)
	b = strictjson.AppendString(b, r.Status)
	b = append(b, `,"client":`...)
	b = r.Client.appendJSON(b)
	return append(b, '}')
}

func (r clientListResponse) appendJSON(b []byte) []byte {
	b = append(b, `{"status":`...)
	b = strictjson.AppendString(b, r.Status)
	b = append(b, `,"clients":`...)
	b = appendClients(b, r.Clients)
	b = append(b, `,"page":`...)
	b = strconv.AppendInt(b, int64(r.Page), 10)
	b = append(b, `,"page_size":`...)
	b = strconv.AppendInt(b, int64(r.PageSize), 10)
	b = append(b, `,"total_count":`...)
	b = strconv.AppendInt(b, int64(r.TotalCount), 10)
	b = append(b, `,"total_pages":`...)
	b = strconv.AppendInt(b, int64(r.TotalPages), 10)
	b = append(b, `,"total_count_exact":`...)
	b = strconv.AppendBool(b, r.TotalCountExact)
	b = appendMember(b, "next_cursor", r.NextCursor)
	return append(b, '}')
}

// appendClients appends a JSON array of clients (null for nil, as
// encoding/json has it).
func appendClients(b []byte, clients []clientJSON) []byte {
	if clients == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, c := range clients {
		if i > 0 {
			b = append(b, ',')
		}
		b = c.appendJSON(b)
	}
	return append(b, ']')
}

// appendStringMap appends a JSON object of m's members, keys in byte
// order as encoding/json sorts them (null for nil).
func appendStringMap(b []byte, m map[string]string) []byte {
	if m == nil {
		return append(b, "null"...)
	}
	b = append(b, '{')
	for i, k := range fatora.Metadata(m).Keys() {
		if i > 0 {
			b = append(b, ',')
		}
		b = strictjson.AppendString(b, k)
		b = append(b, ':')
		b = strictjson.AppendString(b, m[k])
	}
	return append(b, '}')
}

// appendMember appends ,"name":"value".
func appendMember(b []byte, name, value string) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return strictjson.AppendString(b, value)
}

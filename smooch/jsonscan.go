package smooch

import (
	"strconv"
	"strings"
)

// insertMember inserts the string member "name": value into obj, an object encoded by json.Marshal whose
// members are in name order, before the first one that sorts after name. name and value are plain ASCII (a
// member name of the contract, an integration type).
func insertMember(obj []byte, name, value string) []byte {
	at, empty := len(obj)-1, true // by default, before the closing brace
	eachMember(obj, func(key []byte, start int, _ []byte) {
		empty = false
		if at == len(obj)-1 && string(key) > name {
			at = start
		}
	})
	out := make([]byte, 0, len(obj)+len(name)+len(value)+8)
	out = append(out, obj[:at]...)
	if at == len(obj)-1 && !empty { // after the last member
		out = append(out, ',')
	}
	out = strconv.AppendQuote(out, name)
	out = append(out, ':')
	out = strconv.AppendQuote(out, value)
	if at < len(obj)-1 { // before a member
		out = append(out, ',')
	}
	return append(out, obj[at:]...)
}

// eachMember calls f with each member of the JSON object in data, in order: its name as written (escapes
// kept), the offset of the name's opening quote, and its value as written. It reports whether data is an
// object whose members it could all read. It is a scanner, not a parser, and allocates nothing: on valid JSON
// (json.Unmarshal has checked it, or json.Marshal written it) it sees what a parser would; on anything else it
// stops early, never reads out of bounds, and leaves the error to the parser that follows it.
func eachMember(data []byte, f func(name []byte, at int, value []byte)) bool {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return false
	}
	for i = skipSpace(data, i+1); i < len(data) && data[i] == '"'; {
		at, nameEnd := i, endOfString(data, i)
		colon := skipSpace(data, nameEnd)
		if colon >= len(data) || data[colon] != ':' {
			return false
		}
		v := skipSpace(data, colon+1)
		if v >= len(data) {
			return false
		}
		end := endOfValue(data, v)
		f(data[at+1:nameEnd-1], at, data[v:end])
		if i = skipSpace(data, end); i < len(data) && data[i] == ',' {
			i = skipSpace(data, i+1)
		}
	}
	return i < len(data) && data[i] == '}'
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// endOfString returns the index after the string that starts, with its quote, at i.
func endOfString(data []byte, i int) int {
	for i++; i < len(data); i++ {
		switch data[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(data)
}

// endOfValue returns the index after the value that starts at i.
func endOfValue(data []byte, i int) int {
	switch data[i] {
	case '"':
		return endOfString(data, i)
	case '{', '[':
		depth := 0
		for i < len(data) {
			switch data[i] {
			case '"':
				i = endOfString(data, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return len(data)
	}
	for i < len(data) && strings.IndexByte(",}] \t\r\n", data[i]) < 0 {
		i++
	}
	return i
}

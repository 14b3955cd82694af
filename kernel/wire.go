package kernel

import (
	"bytes"
	"crypto/hmac"

	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"time"

	"github.com/google/uuid"
)

// delimiter separates routing identities from the message proper.
const delimiter = "<IDS|MSG>"

// signer signs and verifies messages with HMAC-SHA256; a signer with an
// empty key signs with the empty string and accepts any signature.
type signer struct {
	key []byte
}

func (s signer) mac() hash.Hash { return hmac.New(sha256.New, s.key) }

// sign returns the hex signature of the four JSON parts.
func (s signer) sign(parts [][]byte) []byte {
	if len(s.key) == 0 {
		return nil
	}
	m := s.mac()
	for _, p := range parts {
		m.Write(p)
	}
	sum := m.Sum(nil)
	out := make([]byte, hex.EncodedLen(len(sum)))
	hex.Encode(out, sum)
	return out
}

// verify checks sig against the parts in constant time.
func (s signer) verify(sig []byte, parts [][]byte) bool {
	if len(s.key) == 0 {
		return true
	}
	want := s.sign(parts)
	return hmac.Equal(bytes.ToLower(sig), want)
}

// errBadMessage is wrapped by every decoding failure.
var errBadMessage = errors.New("bad message")

// decode parses the frames of a message as received on a ROUTER.
func (s signer) decode(frames [][]byte) (*Message, error) {
	i := 0
	for i < len(frames) && string(frames[i]) != delimiter {
		i++
	}
	if i == len(frames) {
		return nil, fmt.Errorf("%w: no <IDS|MSG> delimiter in %d frames", errBadMessage, len(frames))
	}
	rest := frames[i+1:]
	if len(rest) < 5 {
		return nil, fmt.Errorf("%w: %d frames after the delimiter, want at least 5", errBadMessage, len(rest))
	}
	parts := rest[1:5]
	if !s.verify(rest[0], parts) {
		return nil, fmt.Errorf("%w: invalid signature", errBadMessage)
	}
	m := &Message{Identities: frames[:i], Buffers: rest[5:], rawHeader: append(json.RawMessage(nil), parts[0]...)}
	if err := json.Unmarshal(parts[0], &m.Header); err != nil {
		return nil, fmt.Errorf("%w: header: %v", errBadMessage, err)
	}
	if m.Header.MsgType == "" {
		return nil, fmt.Errorf("%w: header without msg_type", errBadMessage)
	}
	for j, dst := range []*json.RawMessage{&m.ParentHeader, &m.Metadata, &m.Content} {
		p := parts[j+1]
		if len(bytes.TrimSpace(p)) == 0 {
			p = []byte("{}")
		}
		if !json.Valid(p) {
			return nil, fmt.Errorf("%w: %s is not valid JSON", errBadMessage, [...]string{"parent_header", "metadata", "content"}[j])
		}
		*dst = append(json.RawMessage(nil), p...)
	}
	if c := bytes.TrimSpace(m.Content); len(c) == 0 || c[0] != '{' {
		return nil, fmt.Errorf("%w: content is not an object", errBadMessage)
	}
	return m, nil
}

// encode returns the frames of a message: identities, delimiter,
// signature, header, parent header, metadata, content.
func (s signer) encode(ids [][]byte, h Header, parent json.RawMessage, metadata any, content any) ([][]byte, error) {
	hb, err := json.Marshal(h)
	if err != nil {
		return nil, fmt.Errorf("kernel: encode header: %w", err)
	}
	if len(parent) == 0 {
		parent = json.RawMessage("{}")
	}
	var mb []byte
	if metadata == nil {
		mb = []byte("{}")
	} else if mb, err = json.Marshal(metadata); err != nil {
		return nil, fmt.Errorf("kernel: encode metadata: %w", err)
	}
	cb, err := json.Marshal(content)
	if err != nil {
		return nil, fmt.Errorf("kernel: encode %s content: %w", h.MsgType, err)
	}
	parts := [][]byte{hb, parent, mb, cb}
	frames := make([][]byte, 0, len(ids)+6)
	frames = append(frames, ids...)
	frames = append(frames, []byte(delimiter), s.sign(parts))
	return append(frames, parts...), nil
}

// newID returns a random (version 4) UUID, as jupyter_client's Session does
// for msg_id and session.
func newID() string { return uuid.NewString() }

// timestamp formats t as ISO 8601 in UTC to the microsecond.
func timestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000Z")
}

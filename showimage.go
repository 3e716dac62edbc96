package awapi

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"strings"
)

// A scheduled show's image (ScheduleShow, UpdateScheduledShow): a base64 string in the JSON body
// (api-v1.md §1.3). The documentation gives no format or size; the project takes a real JPEG or PNG
// of at most MaxShowImageBytes and MaxShowImageSide pixels a side. The size in the header is checked
// before anything is decoded, so an image that claims huge dimensions (a decompression bomb) costs
// a header read; then the whole image is decoded, so a damaged one is refused too.

// Image formats.
const (
	ImageJPEG = "jpeg"
	ImagePNG  = "png"
)

// Show image limits (the project's).
const (
	MaxShowImageBytes = 2 << 20 // decoded
	MaxShowImageSide  = 2000    // pixels, either side
)

// ShowImage is a decoded, checked show image, kept as sent.
type ShowImage struct {
	Format        string // ImageJPEG or ImagePNG
	Width, Height int
	Data          []byte
}

// Extension is the file extension of the image's URL.
func (i ShowImage) Extension() string { return ExtensionOf(i.Format) }

// ExtensionOf is the file extension of an image format.
func ExtensionOf(format string) string {
	if format == ImagePNG {
		return "png"
	}
	return "jpg"
}

var (
	magicPNG  = []byte("\x89PNG\r\n\x1a\n")
	magicJPEG = []byte{0xFF, 0xD8, 0xFF}
)

// DecodeShowImage reads the Image field: standard base64 (RFC 4648 §4), padding optional, line
// breaks and spaces ignored (a form body turns '+' into a space, so a space reads as '+'), with an
// optional data: URL prefix ("data:image/png;base64,"). Every problem is a 400 naming field.
func DecodeShowImage(field, text string) (ShowImage, error) {
	bad := func(format string, args ...any) (ShowImage, error) {
		return ShowImage{}, InvalidField(field, "%s %s.", field, fmt.Sprintf(format, args...))
	}
	s := strings.TrimSpace(text)
	if rest, ok := strings.CutPrefix(s, "data:"); ok {
		_, data, found := strings.Cut(rest, ";base64,")
		if !found {
			return bad("is a data: URL without ;base64,")
		}
		s = data
	}
	// Anything longer than the largest allowed image could encode to, with room for line breaks,
	// is refused before it is decoded.
	if len(s) > base64.StdEncoding.EncodedLen(MaxShowImageBytes)*105/100+4 {
		return bad("is larger than %d bytes", MaxShowImageBytes)
	}
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\r', '\n', '\t':
			return -1
		case ' ':
			return '+'
		}
		return r
	}, s)
	data, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
	switch {
	case err != nil:
		return bad("must be a base64-encoded JPEG or PNG image")
	case len(data) == 0:
		return bad("is empty")
	case len(data) > MaxShowImageBytes:
		return bad("is larger than %d bytes", MaxShowImageBytes)
	}
	img := ShowImage{Data: data}
	var (
		decodeConfig func(*bytes.Reader) (image.Config, error)
		decode       func(*bytes.Reader) (image.Image, error)
	)
	switch {
	case bytes.HasPrefix(data, magicPNG):
		img.Format = ImagePNG
		decodeConfig = func(r *bytes.Reader) (image.Config, error) { return png.DecodeConfig(r) }
		decode = func(r *bytes.Reader) (image.Image, error) { return png.Decode(r) }
	case bytes.HasPrefix(data, magicJPEG):
		img.Format = ImageJPEG
		decodeConfig = func(r *bytes.Reader) (image.Config, error) { return jpeg.DecodeConfig(r) }
		decode = func(r *bytes.Reader) (image.Image, error) { return jpeg.Decode(r) }
	default:
		return bad("must be a JPEG or PNG image (%s is not accepted)", sniff(data))
	}
	cfg, err := decodeConfig(bytes.NewReader(data))
	switch {
	case err != nil:
		return bad("is not a readable %s image", strings.ToUpper(img.Format))
	case cfg.Width < 1 || cfg.Height < 1 || cfg.Width > MaxShowImageSide || cfg.Height > MaxShowImageSide:
		return bad("is %d×%d pixels; at most %d a side is accepted", cfg.Width, cfg.Height, MaxShowImageSide)
	}
	img.Width, img.Height = cfg.Width, cfg.Height
	if _, err := decode(bytes.NewReader(data)); err != nil {
		return bad("is a damaged %s image", strings.ToUpper(img.Format))
	}
	return img, nil
}

// sniff names the kind of data that is not a JPEG or PNG, for the message.
func sniff(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("GIF8")):
		return "GIF"
	case bytes.HasPrefix(data, []byte("RIFF")) && len(data) > 12 && string(data[8:12]) == "WEBP":
		return "WebP"
	case bytes.HasPrefix(data, []byte("BM")):
		return "BMP"
	}
	return "this data"
}

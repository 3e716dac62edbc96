package awapi

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"runtime"
	"strings"
	"testing"
)

// testPNG and testJPEG are real images made with the standard library's encoders.
func testPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, 0, color.NRGBA{R: uint8(x), G: 100, B: 200, A: 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func testJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, w, h)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pngBomb is a valid PNG of w×h grey pixels, all zero: a few kilobytes of compressed data that
// decode to w×h bytes. It is written row by row, so making it allocates little.
func pngBomb(t testing.TB, w, h int) []byte {
	t.Helper()
	var out bytes.Buffer
	out.Write(magicPNG)
	chunk := func(kind string, data []byte) {
		binary.Write(&out, binary.BigEndian, uint32(len(data)))
		out.WriteString(kind)
		out.Write(data)
		binary.Write(&out, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(kind), data...)))
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 0 // 8-bit greyscale
	chunk("IHDR", ihdr)
	var idat bytes.Buffer
	z, _ := zlib.NewWriterLevel(&idat, zlib.BestCompression)
	row := make([]byte, w+1) // filter byte 0, then the pixels
	for range h {
		z.Write(row)
	}
	z.Close()
	chunk("IDAT", idat.Bytes())
	chunk("IEND", nil)
	return out.Bytes()
}

func b64(data []byte) string { return base64.StdEncoding.EncodeToString(data) }

// TestDecodeShowImage accepts real JPEG and PNG images in every form the field may take, and refuses
// every other format, bad base64, oversized data, oversized and bomb dimensions, and damaged images.
func TestDecodeShowImage(t *testing.T) {
	pngData, jpegData := testPNG(t, 64, 48), testJPEG(t, 32, 32)
	var gifBuf bytes.Buffer
	if err := gif.Encode(&gifBuf, image.NewPaletted(image.Rect(0, 0, 4, 4), color.Palette{color.Black, color.White}), nil); err != nil {
		t.Fatal(err)
	}
	wrapped := b64(pngData)
	for i := 76; i < len(wrapped); i += 78 {
		wrapped = wrapped[:i] + "\r\n" + wrapped[i:]
	}
	jpegSOF := testJPEG(t, 8, 8)
	sof := bytes.Index(jpegSOF, []byte{0xFF, 0xC0})
	binary.BigEndian.PutUint16(jpegSOF[sof+5:], 65000) // height
	binary.BigEndian.PutUint16(jpegSOF[sof+7:], 65000) // width
	tests := []struct {
		name   string
		text   string
		format string // "" means refused
		w, h   int
		msg    string // part of the refusal
	}{
		{"PNG", b64(pngData), ImagePNG, 64, 48, ""},
		{"JPEG", b64(jpegData), ImageJPEG, 32, 32, ""},
		{"unpadded", strings.TrimRight(b64(jpegData), "="), ImageJPEG, 32, 32, ""},
		{"line breaks", wrapped, ImagePNG, 64, 48, ""},
		{"data URL", "data:image/png;base64," + b64(pngData), ImagePNG, 64, 48, ""},
		{"form body's spaces for pluses", strings.ReplaceAll(b64(pngData), "+", " "), ImagePNG, 64, 48, ""},
		{"largest side", b64(testPNG(t, MaxShowImageSide, 1)), ImagePNG, MaxShowImageSide, 1, ""},
		{"GIF", b64(gifBuf.Bytes()), "", 0, 0, "GIF"},
		{"WebP", b64([]byte("RIFF\x00\x00\x00\x00WEBPVP8 ")), "", 0, 0, "WebP"},
		{"text", b64([]byte("hello, world")), "", 0, 0, "JPEG or PNG"},
		{"bad base64", "iVBORw0KGgo!!!", "", 0, 0, "base64"},
		{"URL-safe alphabet", strings.NewReplacer("+", "-", "/", "_").Replace(b64(pngData)), "", 0, 0, "base64"},
		{"data URL without base64", "data:image/png," + b64(pngData), "", 0, 0, "data: URL"},
		{"empty", "====", "", 0, 0, "empty"},
		{"too many bytes", b64(append(pngData, make([]byte, MaxShowImageBytes)...)), "", 0, 0, "larger than"},
		{"too long to decode", strings.Repeat("A", base64.StdEncoding.EncodedLen(MaxShowImageBytes)*2), "", 0, 0, "larger than"},
		{"too wide", b64(testPNG(t, MaxShowImageSide+1, 1)), "", 0, 0, "2001×1 pixels"},
		{"JPEG claiming 65000×65000", b64(jpegSOF), "", 0, 0, "65000×65000"},
		{"truncated PNG", b64(pngData[:len(pngData)-30]), "", 0, 0, "damaged PNG"},
		{"PNG header only", b64(pngData[:20]), "", 0, 0, "not a readable PNG"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img, err := DecodeShowImage("Image", tc.text)
			if tc.format == "" {
				wantFieldError(t, err, "Image")
				if !strings.Contains(err.Error(), tc.msg) {
					t.Fatalf("message %q lacks %q", err, tc.msg)
				}
				return
			}
			if err != nil || img.Format != tc.format || img.Width != tc.w || img.Height != tc.h || len(img.Data) == 0 {
				t.Fatalf("got %s %d×%d (%d bytes), %v", img.Format, img.Width, img.Height, len(img.Data), err)
			}
		})
	}
	if img, _ := DecodeShowImage("Image", b64(pngData)); !bytes.Equal(img.Data, pngData) || img.Extension() != "png" {
		t.Fatal("the PNG is not kept as sent")
	}
	if ExtensionOf(ImageJPEG) != "jpg" {
		t.Fatal(ExtensionOf(ImageJPEG))
	}
}

// TestShowImageBombIsRefusedCheaply: a PNG of 8000×8000 pixels compresses to a few tens of kilobytes
// and would decode to 64 MB. Its header is read first, so it is refused having allocated little more
// than the base64 text it came in.
func TestShowImageBombIsRefusedCheaply(t *testing.T) {
	bomb := pngBomb(t, 8000, 8000)
	if len(bomb) > MaxShowImageBytes {
		t.Fatalf("the bomb is %d bytes", len(bomb))
	}
	text := b64(bomb)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := DecodeShowImage("Image", text)
	runtime.ReadMemStats(&after)
	wantFieldError(t, err, "Image")
	if !strings.Contains(err.Error(), "8000×8000") {
		t.Fatalf("refused for another reason: %v", err)
	}
	if allocated := after.TotalAlloc - before.TotalAlloc; allocated > 16<<20 {
		t.Fatalf("refusing the bomb allocated %d bytes", allocated)
	}
}

package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
)

// mainPackage is the import path of the awapi command.
const mainPackage = "github.com/awapi/awapi/cmd/awapi"

// Invocation answers how the user can run this program again from the current directory, so the
// commands serve and seed print can be pasted as they are: "go run ./cmd/awapi" after `go run`,
// "awapi" for an installed binary found on PATH, or the path the binary was started by.
func Invocation() string {
	exe, err := os.Executable()
	if err != nil {
		return "awapi"
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	arg0 := os.Args[0]
	if isGoRunBinary(exe) {
		if fi, err := os.Stat(filepath.Join("cmd", "awapi", "main.go")); err == nil && fi.Mode().IsRegular() {
			return "go run ./cmd/awapi"
		}
		if v := releaseVersion(); v != "" {
			return "go run " + mainPackage + "@" + v
		}
		return "go run " + mainPackage
	}
	if !strings.ContainsRune(arg0, filepath.Separator) {
		return shellQuote(arg0) // found on PATH by the shell
	}
	if onPath, err := exec.LookPath(filepath.Base(arg0)); err == nil {
		if resolved, err := filepath.EvalSymlinks(onPath); err == nil && resolved == exe {
			return shellQuote(filepath.Base(arg0))
		}
	}
	return shellQuote(arg0)
}

// goRunCacheDir names the directory `go run` caches an executable in since Go 1.24: GOCACHE/xx/<hash>-d.
var goRunCacheDir = regexp.MustCompile(`^[0-9a-f]{64}-d$`)

// isGoRunBinary reports whether exe was built by `go run`: in the build cache, or (before Go 1.24,
// and with -exec) in a temporary go-build…/b001/exe directory. Neither path is for users to type.
func isGoRunBinary(exe string) bool {
	dir := filepath.Dir(exe)
	if goRunCacheDir.MatchString(filepath.Base(dir)) {
		return true
	}
	return filepath.Base(dir) == "exe" && strings.HasPrefix(filepath.Base(filepath.Dir(filepath.Dir(dir))), "go-build")
}

var pseudoVersion = regexp.MustCompile(`\d{14}-[0-9a-f]{12}`)

// releaseVersion is the module's version when it was built from a published release, else "".
func releaseVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	v := bi.Main.Version
	if v == "" || v == "(devel)" || pseudoVersion.MatchString(v) || strings.HasSuffix(v, "+dirty") {
		return ""
	}
	return v
}

// versionText describes the build (debug.ReadBuildInfo): the module version, the commit and whether
// the tree had uncommitted changes.
func versionText(bi *debug.BuildInfo, ok bool) string {
	if !ok {
		return "awapi (no build information)\n"
	}
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	version := bi.Main.Version
	if version == "" {
		version = "(devel)"
	}
	commit := settings["vcs.revision"]
	switch {
	case commit == "":
		commit = "unknown (built without version control information; build from a git clone to record it)"
	case settings["vcs.modified"] == "true":
		commit += " (with uncommitted changes)"
	}
	text := fmt.Sprintf("awapi %s\ncommit: %s\n", version, commit)
	if t := settings["vcs.time"]; t != "" {
		text += "commit time: " + t + "\n"
	}
	return text + "go: " + bi.GoVersion + "\n"
}

// shellQuote quotes s for a POSIX shell when it holds anything but plain path and URL characters.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

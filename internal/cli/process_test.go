package cli

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// The awapi binary the process tests run, built once per test run (with -race under -race, so the
// real server processes are checked for races too).
var (
	binOnce sync.Once
	binDir  string
	binErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// awapiBinary builds cmd/awapi once and returns its path.
func awapiBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		if binDir, binErr = os.MkdirTemp("", "awapi-bin-"); binErr != nil {
			return
		}
		// -buildvcs=auto records the commit when the tree is a git clone (awapi version prints it).
		args := []string{"build", "-buildvcs=auto", "-o", filepath.Join(binDir, "awapi")}
		if raceBuild {
			args = append(args, "-race")
		}
		out, err := exec.Command("go", append(args, mainPackage)...).CombinedOutput()
		if err != nil {
			binErr = &buildError{err, string(out)}
		}
	})
	if binErr != nil {
		t.Fatalf("go build %s: %v", mainPackage, binErr)
	}
	return filepath.Join(binDir, "awapi")
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

// moduleRoot is the directory of go.mod (the tests run in internal/cli).
func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root: %v", err)
	}
	return root
}

// proc is a running awapi process whose output the test reads line by line as it comes.
type proc struct {
	t      *testing.T
	cmd    *exec.Cmd
	lines  chan string // stdout and stderr lines, closed when both end
	mu     sync.Mutex
	output strings.Builder // everything read so far
	code   int
	waited bool
}

// start runs name args in dir, in a process group of its own so a signal reaches `go run`'s child
// too. env is added to the test's environment.
func start(t *testing.T, dir string, env []string, name string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{t: t, cmd: cmd, lines: make(chan string, 10000)}
	var wg sync.WaitGroup
	for _, r := range []io.Reader{stdout, stderr} {
		wg.Go(func() {
			sc := bufio.NewScanner(r)
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				p.mu.Lock()
				p.output.WriteString(sc.Text() + "\n")
				p.mu.Unlock()
				p.lines <- sc.Text()
			}
		})
	}
	go func() { wg.Wait(); close(p.lines) }()
	t.Cleanup(func() {
		if !p.waited {
			p.signal(syscall.SIGKILL)
			p.wait()
		}
	})
	return p
}

// waitLine returns the first line (from now on) containing s. The test fails if the process ends
// first, or prints a line containing unless first (a server that would otherwise run on).
func (p *proc) waitLine(t *testing.T, s string, unless ...string) string {
	t.Helper()
	for line := range p.lines {
		if strings.Contains(line, s) {
			return line
		}
		for _, u := range unless {
			if strings.Contains(line, u) {
				t.Fatalf("%s printed %q before %q; its output:\n%s", p.cmd, u, s, p.out())
			}
		}
	}
	t.Fatalf("%s ended without printing %q; its output:\n%s", p.cmd, s, p.out())
	return ""
}

func (p *proc) signal(sig syscall.Signal) { _ = syscall.Kill(-p.cmd.Process.Pid, sig) }

// wait reads the rest of the output and returns the exit code; a race the process reports (it is
// race-built under -race) fails the test.
func (p *proc) wait() int {
	for range p.lines {
	}
	if !p.waited {
		p.waited = true
		_ = p.cmd.Wait()
		p.code = p.cmd.ProcessState.ExitCode()
		if strings.Contains(p.out(), "WARNING: DATA RACE") {
			p.t.Errorf("%s reported a data race:\n%s", p.cmd, p.out())
		}
	}
	return p.code
}

func (p *proc) out() string { p.mu.Lock(); defer p.mu.Unlock(); return p.output.String() }

// runCmd runs a command to its end and returns its exit code and output.
func runCmd(t *testing.T, dir string, env []string, name string, args ...string) (int, string) {
	t.Helper()
	p := start(t, dir, env, name, args...)
	code := p.wait()
	return code, p.out()
}

// sh runs a command line as a user would paste it into a POSIX shell.
func sh(t *testing.T, dir string, env []string, line string) (int, string) {
	t.Helper()
	return runCmd(t, dir, env, "sh", "-c", line)
}

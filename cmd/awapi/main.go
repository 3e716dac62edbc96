// Command awapi serves the AdultWork-style API v1 and administers its database. Run `awapi help`.
package main

import (
	"context"
	"os"

	"github.com/awapi/awapi/internal/cli"
)

func main() {
	os.Exit(cli.Run(context.Background(), os.Args[1:], cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Self: cli.Invocation()}))
}

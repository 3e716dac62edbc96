package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/awapi/awapi"
)

func creditsCmd(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 || args[0] != "add" {
		return usageError{errors.New("usage: awapi credits add --user ID --amount 12.50 [--description TEXT]")}
	}
	var c common
	fs := newFlags("credits add", env, &c)
	user := fs.Int64("user", 0, "member ID (required)")
	amount := fs.String("amount", "", "credits to add, e.g. 12.50; negative to deduct (required)")
	description := fs.String("description", "Credits purchased", "ledger description")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *user <= 0 {
		return usageError{errors.New("--user is required")}
	}
	credits, err := awapi.ParseCredits(*amount)
	if err != nil || credits == 0 {
		return usageError{fmt.Errorf("--amount must be a non-zero amount with at most two decimals, e.g. 12.50")}
	}
	st, _, err := c.openExisting(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Member(ctx, *user); err != nil {
		return fmt.Errorf("member %d: %w", *user, err)
	}
	e, err := st.AddCredits(ctx, *user, credits, *description, env.Clock.Now())
	if err != nil {
		return err
	}
	c.output(env, map[string]any{"user_id": *user, "amount": credits.String(), "balance": e.Balance.String(), "transaction_id": e.EntryID},
		fmt.Sprintf("member %d: %s credits, balance %s\n", *user, credits, e.Balance))
	return nil
}

package httpapi

import (
	"context"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/web"
)

// DirectChat (api-v1.md §2.6, §4.2): the PINs a client holds to call performers' DirectChat lines.
// The documented GetAllPINs, and the implied CreatePIN and DeletePIN, named by symmetry with it; all
// three take account_phonechat_bookings, GetAllPINs' scope. §2.6 marks no Group-manager variant, so
// there is none. The settings (the aws:DirectChatSettings block) belong to PhoneChat/GetSettings and
// SaveSettings. Rules in awapi/directchat.go; decisions in docs/directchat.md.
//
// The sandbox plays the telephone network: PlaceCall records a whole call, StartCall and EndCall a
// call in two steps. Each charges the client and pays the performer through the ledger, as a real
// call record would.

// directChatArea serves DirectChat and its sandbox helpers.
type directChatArea struct {
	store   awapi.DirectChatStore
	credits awapi.CreditReader
	draw    func() string // awapi.NewDirectChatPIN; tests draw known PINs
}

const directChatNamespace = "API.Models.DirectChat"

func (s *directChatArea) endpoints() []*web.Endpoint {
	ep := func(method, path string, implied bool, summary string) web.Endpoint {
		return web.Endpoint{Method: method, Path: path, Auth: web.AuthBearer, Scope: awapi.ScopeAccountPhonechatBookings,
			Implied: implied, Summary: summary, XMLNamespace: directChatNamespace}
	}
	helper := func(path, summary string) web.Endpoint {
		return web.Endpoint{Method: "POST", Path: path, Auth: web.AuthKey, Sandbox: true, Summary: summary, XMLNamespace: directChatNamespace}
	}
	return []*web.Endpoint{
		web.Handle(ep("GET", "/v1/DirectChat/GetAllPINs", false,
			"The DirectChat PINs you hold, newest first: the performer each calls (User Id and Username), and what the calls made with it say."),
			s.getAllPINs),
		web.Handle(ep("POST", "/v1/DirectChat/CreatePIN", true,
			"Get a PIN to call a performer who offers DirectChat: six digits to key in when calling their DirectChat number, "+
				"charged per started minute at their rate from your credits. When you already hold one for them, that one is answered."),
			s.createPIN),
		web.Handle(ep("POST", "/v1/DirectChat/DeletePIN", true,
			"Delete a PIN you hold; not while a call on it is in progress. Its calls stay in your credit history."), s.deletePIN),
		web.Handle(helper("/v1/Sandbox/DirectChat/PlaceCall",
			"Record a DirectChat call of Minutes on a PIN that has just ended: the client pays each minute at the performer's rate "+
				"and the performer receives it, in one ledger transaction; a call longer than the balance or the performer's "+
				"MaxCallMinutes allows is cut at the last paid minute (Cut)."), s.placeCall),
		web.Handle(helper("/v1/Sandbox/DirectChat/StartCall",
			"Answer a call on a PIN now: its first minute is paid at once (409 insufficient_credits without a minute's credit)."),
			s.startCall),
		web.Handle(helper("/v1/Sandbox/DirectChat/EndCall",
			"End the PIN's call in progress now: every minute started since it was answered is paid, up to what the balance "+
				"covers; the call is cut at the last paid minute when it runs out."), s.endCall),
	}
}

type (
	// DirectChatPINUser is the performer a PIN calls, with the documented casing (Id, Username).
	DirectChatPINUser struct {
		Id       int64 //nolint:revive // the documented name
		Username string
	}
	// DirectChatPIN is one PIN, as GetAllPINs lists it and CreatePIN answers it.
	DirectChatPIN struct {
		User          DirectChatPINUser
		PIN           string
		CreatedDate   time.Time
		NumberOfCalls int
		LastCallDate  *time.Time // the start of the latest call; null before the first
		InProgress    bool
	}
	// DirectChatPINDeleteOutput answers DeletePIN.
	DirectChatPINDeleteOutput struct {
		PIN     string
		Deleted bool
	}
	// DirectChatCall answers the sandbox's call helpers: the call as stored, with the balances after it.
	DirectChatCall struct {
		CallID           int64
		PIN              string
		ClientUserID     int64
		PerformerUserID  int64
		PPM              awapi.Credits
		StartedDate      time.Time
		EndedDate        *time.Time // null while in progress
		InProgress       bool
		Minutes          int           // paid so far
		Credits          awapi.Credits // paid so far: Minutes × PPM
		Cut              bool          // ended at the last paid minute: the balance or MaxCallMinutes ran out
		ChargedMinutes   int           // what this step charged
		ChargedCredits   awapi.Credits
		ClientBalance    awapi.Credits
		PerformerBalance awapi.Credits
	}
)

type (
	createPINReq struct {
		UserID int64 `api:"required,min=1" doc:"The performer to call; they must offer DirectChat (PhoneChat/SaveSettings OfferDirectChat)."`
	}
	pinReq struct {
		PIN string `api:"required,minlen=6,maxlen=6" doc:"The PIN's six digits."`
	}
	placeCallReq struct {
		PIN     string `api:"required,minlen=6,maxlen=6" doc:"A live PIN (DirectChat/CreatePIN)."`
		Minutes int    `api:"required,min=1,max=240" doc:"How long the call lasted; it is cut at the last minute the balance or MaxCallMinutes allows."`
	}
)

func pinOut(p *awapi.DirectChatPIN) DirectChatPIN {
	out := DirectChatPIN{User: DirectChatPINUser{Id: p.PerformerID, Username: p.PerformerNickname}, PIN: p.PIN, CreatedDate: p.CreatedAt,
		NumberOfCalls: p.NumberOfCalls, InProgress: p.InProgress}
	if !p.LastCallDate.IsZero() {
		out.LastCallDate = &p.LastCallDate
	}
	return out
}

func (s *directChatArea) getAllPINs(ctx context.Context, c *web.Call, _ *noParams) ([]DirectChatPIN, error) {
	ps, err := s.store.DirectChatPINs(ctx, c.Caller.ActingUserID)
	if err != nil {
		return nil, err
	}
	out := make([]DirectChatPIN, len(ps))
	for i := range ps {
		out[i] = pinOut(&ps[i])
	}
	return out, nil
}

func (s *directChatArea) createPIN(ctx context.Context, c *web.Call, req *createPINReq) (DirectChatPIN, error) {
	p, _, err := awapi.CreateDirectChatPIN(ctx, s.store, c.Caller.ActingUserID, req.UserID, c.Now, s.draw)
	if err != nil {
		return DirectChatPIN{}, err
	}
	return pinOut(&p), nil
}

func (s *directChatArea) deletePIN(ctx context.Context, c *web.Call, req *pinReq) (DirectChatPINDeleteOutput, error) {
	if err := awapi.CheckDirectChatPIN("PIN", req.PIN); err != nil {
		return DirectChatPINDeleteOutput{}, err
	}
	p, err := s.store.DeleteDirectChatPIN(ctx, c.Caller.ActingUserID, req.PIN, c.Now, (*awapi.DirectChatPIN).CanDelete)
	if err != nil {
		return DirectChatPINDeleteOutput{}, err
	}
	return DirectChatPINDeleteOutput{PIN: p.PIN, Deleted: true}, nil
}

// charge runs one step of a call on pin and answers it with the balances after it.
func (s *directChatArea) charge(ctx context.Context, c *web.Call, pin string,
	decide func(l *awapi.DirectChatLine) (awapi.DirectChatCall, awapi.DirectChatCharge, error)) (DirectChatCall, error) {
	// The format is checked here rather than in a Validate, so the reference's generated sample
	// ("exampl") still binds; it is a 400 naming PIN all the same.
	if err := awapi.CheckDirectChatPIN("PIN", pin); err != nil {
		return DirectChatCall{}, err
	}
	var charged awapi.DirectChatCharge
	call, entries, err := s.store.ChargeDirectChatCall(ctx, pin, c.Now, func(l *awapi.DirectChatLine) (awapi.DirectChatCall, awapi.DirectChatCharge, error) {
		call, ch, err := decide(l)
		charged = ch
		return call, ch, err
	})
	if err != nil {
		return DirectChatCall{}, err
	}
	out := DirectChatCall{CallID: call.CallID, PIN: call.PIN, ClientUserID: call.ClientID, PerformerUserID: call.PerformerID, PPM: call.PPM,
		StartedDate: call.StartedAt, InProgress: call.InProgress(), Minutes: call.Minutes, Credits: call.Credits, Cut: call.Cut,
		ChargedMinutes: charged.Minutes, ChargedCredits: charged.Credits}
	if !call.InProgress() {
		out.EndedDate = &call.EndedAt
	}
	if len(entries) == 2 {
		out.ClientBalance, out.PerformerBalance = entries[0].Balance, entries[1].Balance
		return out, nil
	}
	// Nothing was charged (a call cut before another minute): the balances as they are.
	if out.ClientBalance, err = s.credits.CreditBalance(ctx, call.ClientID); err != nil {
		return DirectChatCall{}, err
	}
	out.PerformerBalance, err = s.credits.CreditBalance(ctx, call.PerformerID)
	return out, err
}

func (s *directChatArea) placeCall(ctx context.Context, c *web.Call, req *placeCallReq) (DirectChatCall, error) {
	return s.charge(ctx, c, req.PIN, func(l *awapi.DirectChatLine) (awapi.DirectChatCall, awapi.DirectChatCharge, error) {
		return l.PlaceCall(req.Minutes, c.Now, c.Loc)
	})
}

func (s *directChatArea) startCall(ctx context.Context, c *web.Call, req *pinReq) (DirectChatCall, error) {
	return s.charge(ctx, c, req.PIN, func(l *awapi.DirectChatLine) (awapi.DirectChatCall, awapi.DirectChatCharge, error) {
		return l.StartCall(c.Now, c.Loc)
	})
}

func (s *directChatArea) endCall(ctx context.Context, c *web.Call, req *pinReq) (DirectChatCall, error) {
	return s.charge(ctx, c, req.PIN, func(l *awapi.DirectChatLine) (awapi.DirectChatCall, awapi.DirectChatCharge, error) {
		return l.EndCall(c.Now)
	})
}

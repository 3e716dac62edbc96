package seed

import (
	"math/rand/v2"
	"strconv"
)

// Nicknames are an adjective and a name from one of three name spaces (female, male, couple), chosen
// by gender. Within a space the word pair of member ID i is a bijection of (i-7) modulo the space size,
// so two members in the same space share a pair only in different cycles, and the cycle number is
// appended as a suffix from the second cycle on. Words contain no digits, and the spaces' lowercased
// concatenations are disjoint (the tests check it), so nicknames are unique case-insensitively at any
// size without remembering earlier names. Every word is at most 8 characters, so a nickname stays
// within 20 characters for up to 10,000 cycles (tens of millions of members).

var femaleAdjectives = []string{
	"Sweet", "Velvet", "Golden", "Scarlet", "Silky", "Sunny", "Lovely", "Cheeky", "Classy", "Divine",
	"Misty", "Pretty", "Radiant", "Secret", "Sultry", "Honey", "Sugar", "Crystal", "Dreamy", "Exotic",
	"Fancy", "Flirty", "Glossy", "Graceful", "Ivory", "Lush", "Magic", "Mystic", "Peachy", "Pearl",
	"Petite", "Precious", "Rosy", "Satin", "Shy", "Silver", "Smiley", "Sparkly", "Starry", "Tender",
	"Vivid", "Witty", "Bubbly", "Curvy", "Dainty", "Elegant", "Lacy", "Lilac", "Moonlit", "Posh",
	"Coral", "Blushing", "Charming", "Cosmic", "Gorgeous",
}

var femaleNames = []string{
	"Amber", "Bella", "Chloe", "Daisy", "Ella", "Freya", "Gemma", "Hannah", "Isla", "Jasmine",
	"Kate", "Lily", "Mia", "Nina", "Olivia", "Poppy", "Rosie", "Sophie", "Tara", "Violet",
	"Willow", "Zara", "Alice", "Becky", "Carla", "Demi", "Eva", "Faye", "Grace", "Holly",
	"Ivy", "Jade", "Kiki", "Layla", "Maisie", "Nova", "Orla", "Paige", "Ruby", "Sienna",
	"Tilly", "Vicky", "Wendy", "Yasmin", "Zoe", "Abbie", "Bonnie", "Cleo", "Dolly", "Erin",
	"Fern", "Gigi", "Heidi", "Imogen", "Jess", "Kayla", "Lola", "Millie", "Naomi", "Phoebe",
	"Roxy", "Skye", "Tess", "Leah", "Megan", "Lucy", "Jodie", "Kelly", "Stacey", "Anya",
	"Eliza", "Elena", "Luna", "Maya", "Nadia", "Sasha", "Tia", "Vanessa", "Jenna", "Kira",
	"Lana", "Marnie", "Penny", "Rita", "Sadie", "Tamsin", "Amelie", "Celeste", "Aimee", "Belle",
	"Candy", "Destiny", "Ebony", "Fleur", "Gina", "Harriet", "Ingrid", "Josie", "Katya", "Lexi",
}

var maleAdjectives = []string{
	"Quiet", "Northern", "Southern", "Polite", "Genuine", "Discreet", "Friendly", "Happy", "Honest", "Kind",
	"Calm", "Cool", "Smart", "Sporty", "Tall", "Cheerful", "Chilled", "Decent", "Modest", "Relaxed",
	"Lucky", "Merry", "Bold", "Brave", "Bright", "Busy", "Clever", "Classic", "Dapper", "Easy",
	"Fair", "Gentle", "Jovial", "Keen", "Loyal", "Mellow", "Noble", "Proper", "Rugged", "Solid",
	"Steady", "Suave", "Urban", "Rural", "Wise", "Young", "Mature", "Local", "Eastern", "Western",
}

var maleNames = []string{
	"Dave", "Tom", "Guy", "Chap", "Lad", "Gent", "Mike", "Steve", "Paul", "Mark",
	"John", "Rob", "Chris", "Andy", "Pete", "Jim", "Matt", "Nick", "Rich", "Dan",
	"Ben", "Sam", "Joe", "Jack", "Harry", "Olly", "Alfie", "Charlie", "Jake", "Leo",
	"Max", "Ryan", "Liam", "Owen", "Rhys", "Callum", "Jamie", "Luke", "Adam", "Carl",
	"Gary", "Kevin", "Lee", "Neil", "Phil", "Simon", "Tony", "Wayne", "Barry", "Colin",
	"Derek", "Graham", "Ian", "Keith", "Martin", "Nigel", "Trevor", "Stuart", "Ross", "Ewan",
	"Finn", "Hugo", "Jonny", "Kieran", "Marcus", "Scott", "Toby", "Will", "Zack", "Fella",
	"Bloke", "Rambler", "Nomad", "Wanderer", "Explorer", "Admirer", "Gamer", "Biker", "Golfer", "Runner",
}

var coupleAdjectives = []string{
	"Happy", "Sunny", "Cheeky", "Friendly", "Lovely", "Classy", "Discreet", "Playful", "Young", "Mature",
	"Northern", "Southern", "Busy", "Curious", "Relaxed", "Sporty", "Golden", "Velvet", "Secret", "Lucky",
	"Chilled", "Cosy", "Fun", "Merry", "Smiley", "Urban", "Rural", "Local", "Easy", "Gentle",
}

var coupleWords = []string{"Couple", "Duo", "Pair", "TwoOfUs", "Partners", "Twosome", "Duet", "Team"}

// nameSpace is one family of nicknames.
type nameSpace struct {
	first, second []string
	offset        []int // per first word, a seeded shift of the second word, so pairs look random
}

func newNameSpace(r *rand.Rand, first, second []string) nameSpace {
	s := nameSpace{first: shuffled(r, first), second: shuffled(r, second), offset: make([]int, len(first))}
	for i := range s.offset {
		s.offset[i] = r.IntN(len(second))
	}
	return s
}

func shuffled(r *rand.Rand, words []string) []string {
	out := append([]string(nil), words...)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func (s nameSpace) size() int64 { return int64(len(s.first) * len(s.second)) }

// name returns the nickname with index i (i >= 0) in the space.
func (s nameSpace) name(i int64) string {
	k := s.size()
	cycle, x := i/k, i%k
	f := int(x % int64(len(s.first)))
	q := int(x / int64(len(s.first)))
	name := s.first[f] + s.second[(q+s.offset[f])%len(s.second)]
	if cycle > 0 {
		name += strconv.FormatInt(cycle, 10)
	}
	if len(name) > 20 { // only past tens of millions of members; cannot collide: no word is "Member"
		name = "Member" + strconv.FormatInt(i, 10)
	}
	return name
}

// Group names: "<Prefix> <Kind>", then "<Prefix> <Middle> <Kind>", then "<Prefix> <Kind> <n>". A name's
// word count and the word lists (no digits, no spaces inside a word, no "Sandbox") keep them distinct
// from each other and from group 1, "Sandbox Agency".
var groupPrefixes = []string{
	"Velvet", "Crimson", "Silver", "Golden", "Ivory", "Sapphire", "Emerald", "Scarlet", "Opal", "Amethyst",
	"Pearl", "Onyx", "Ruby", "Jade", "Azure", "Coral", "Midnight", "Moonlight", "Starlight", "Sunset",
	"Orchid", "Lotus", "Rosewood", "Willow", "Ashford", "Belmont", "Kensington", "Mayfair", "Chelsea", "Knightsbridge",
	"Regent", "Windsor", "Highland", "Thames", "Pennine", "Cotswold", "Belgravia", "Richmond", "Marlowe", "Sterling",
	"Aurora", "Bluebell", "Camden", "Claremont", "Hartley",
}

var groupMiddles = []string{
	"Rose", "Star", "Moon", "Crown", "Lily", "Bay", "Park", "Square", "Lane", "Garden",
	"Grove", "Hill", "House", "Gate", "Court", "Vale", "Heart", "Ribbon", "Silk", "Lace",
	"Charm", "Dream", "Blossom", "Swan", "Dove",
}

var groupKinds = []string{
	"Agency", "Models", "Management", "Talent", "Companions", "Collective", "Associates", "Bureau",
	"Studios", "Introductions", "Entertainment", "Elite",
}

// groupNamer names groups 2, 3, ... independently of how many there are.
type groupNamer struct {
	prefixes, middles, kinds []string
	offset                   []int
}

func newGroupNamer(r *rand.Rand) groupNamer {
	g := groupNamer{prefixes: shuffled(r, groupPrefixes), middles: shuffled(r, groupMiddles), kinds: shuffled(r, groupKinds),
		offset: make([]int, len(groupPrefixes))}
	for i := range g.offset {
		g.offset[i] = r.IntN(len(groupKinds) * len(groupMiddles))
	}
	return g
}

// name returns the name of generated group i (i >= 0, group ID i+2).
func (g groupNamer) name(i int) string {
	np, nm, nk := len(g.prefixes), len(g.middles), len(g.kinds)
	p := i % np
	prefix := g.prefixes[p]
	if i < np*nk {
		return prefix + " " + g.kinds[(i/np+g.offset[p])%nk]
	}
	i -= np * nk
	if i < np*nm*nk {
		p = i % np
		rest := (i/np + g.offset[p]) % (nm * nk)
		return g.prefixes[p] + " " + g.middles[rest/nk] + " " + g.kinds[rest%nk]
	}
	i -= np * nm * nk
	p = i % np
	return g.prefixes[p] + " " + g.kinds[(i/np)%nk] + " " + strconv.Itoa(i/(np*nk)+2)
}

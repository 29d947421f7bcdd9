package sandbox

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/fatora-oss/fatora"
)

// MaxSeed bounds how many clients Seed makes.
const MaxSeed = 100_000

// Seed adds n realistic clients to the merchant's test mode, one after
// another (so their ids follow their order): Arabic and Latin names, Gulf
// mobile numbers written the ways people write them, e-mail addresses at
// domains reserved for examples, Gulf addresses in Arabic or English,
// some notes; some fields left empty. The same rand gives the same
// clients. Errors: invalid_field for n out of 0..MaxSeed.
func (s *Sandbox) Seed(ctx context.Context, n int, rand uint64) error {
	if n < 0 || n > MaxSeed {
		return fatora.Errorf(fatora.CodeInvalidField, "Seed from 0 to %d clients.", MaxSeed)
	}
	ctx = fatora.WithScope(ctx, s.scope)
	g := newPeople(rand)
	for range n {
		if err := s.createOne(ctx, g); err != nil {
			return err
		}
	}
	return nil
}

// createOne creates the next person of g, drawing another when one is the
// same as a client made before (a rare coincidence).
func (s *Sandbox) createOne(ctx context.Context, g *people) error {
	for {
		_, err := s.clients.CreateClient(ctx, g.next())
		var e *fatora.Error
		if !errors.As(err, &e) || e.Code != fatora.CodeDuplicateClient {
			return err
		}
	}
}

// people draws clients from a seeded random source.
type people struct{ r *rand.Rand }

func newPeople(seed uint64) *people {
	return &people{r: rand.New(rand.NewPCG(seed, 0x5eed5eed5eed5eed))}
}

// chance is true p percent of the time.
func (g *people) chance(p int) bool { return g.r.IntN(100) < p }

// next draws a client.
func (g *people) next() fatora.ClientFields {
	arabic := g.chance(60)
	full, latin := g.name(arabic)
	c := fatora.ClientFields{Name: full}
	if g.chance(75) {
		c.Email = latin + strconv.Itoa(g.r.IntN(100)) + "@" + pick(g.r, emailDomains)
	}
	where := gulf[0]
	if !g.chance(40) {
		where = pick(g.r, gulf)
	}
	if g.chance(90) {
		c.Phone = g.phone(where)
	}
	if g.chance(60) {
		c.Address = g.address(where, arabic && g.chance(70))
	}
	if g.chance(15) {
		c.Notes = pick(g.r, notes)
	}
	return c
}

// name draws a full name in Arabic or Latin letters, and the local part
// of an e-mail address made of it.
func (g *people) name(arabic bool) (full, emailLocal string) {
	if !arabic {
		first, family := pick(g.r, latinFirstNames), pick(g.r, latinFamilyNames)
		return first + " " + family, strings.ToLower(first + "." + strings.NewReplacer("'", "", "-", "").Replace(family))
	}
	first, family := pick(g.r, arabicFirstNames), pick(g.r, arabicFamilyNames)
	full = first.text + " " + family.text
	if g.chance(30) { // with the father's name, as many write it
		full = first.text + " " + pick(g.r, arabicFirstNames[:20]).text + " " + family.text
	}
	return full, first.latin + "." + family.latin
}

// phone draws a mobile number of c, written one of the ways people write
// one: international with spaces or without, with 00, or as at home,
// sometimes in Arabic-Indic digits.
func (g *people) phone(c country) string {
	number := pick(g.r, c.mobile)
	for len(number) < c.digits {
		number += strconv.Itoa(g.r.IntN(10))
	}
	home := grouped(number, c.groupsOf)
	if c.trunk {
		home = "0" + home
	}
	switch g.r.IntN(5) {
	case 0:
		return "+" + c.code + " " + grouped(number, c.groupsOf)
	case 1:
		return "+" + c.code + number
	case 2:
		return "00" + c.code + number
	case 3:
		return arabicIndicDigits(home)
	}
	return home
}

// address draws a place of c with a building and a street, in Arabic or
// in English.
func (g *people) address(c country, arabic bool) string {
	place := pick(g.r, c.places)
	building, street := strconv.Itoa(1+g.r.IntN(200)), strconv.Itoa(100+g.r.IntN(900))
	if arabic {
		return "مبنى " + building + "، شارع " + street + "، " + place.text
	}
	return "Building " + building + ", Street " + street + ", " + place.latin
}

// grouped writes digits in groups of the given sizes, separated by
// spaces; the last group takes what is left.
func grouped(digits string, sizes []int) string {
	var parts []string
	for _, n := range sizes[:len(sizes)-1] {
		if len(digits) <= n {
			break
		}
		parts, digits = append(parts, digits[:n]), digits[n:]
	}
	return strings.Join(append(parts, digits), " ")
}

// arabicIndicDigits writes the ASCII digits of s as Arabic-Indic ones.
func arabicIndicDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return '٠' + r - '0'
		}
		return r
	}, s)
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

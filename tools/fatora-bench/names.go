package main

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/fatora-oss/fatora/strictjson"
)

// A personName is a name as written and its Latin form for e-mail addresses.
type personName struct{ text, ascii string }

var firstNames = []personName{
	{"Mohammed", "mohammed"}, {"Ahmed", "ahmed"}, {"Fatima", "fatima"}, {"Aisha", "aisha"},
	{"Omar", "omar"}, {"Khalid", "khalid"}, {"Mariam", "mariam"}, {"Yousef", "yousef"},
	{"Noura", "noura"}, {"Hamad", "hamad"}, {"Layla", "layla"}, {"Abdullah", "abdullah"},
	{"Sara", "sara"}, {"Hassan", "hassan"}, {"Reem", "reem"}, {"Tariq", "tariq"},
	{"Huda", "huda"}, {"Saeed", "saeed"}, {"Amal", "amal"}, {"Faisal", "faisal"},
	{"John", "john"}, {"Emma", "emma"}, {"Liam", "liam"}, {"Olivia", "olivia"},
	{"Noah", "noah"}, {"Sophia", "sophia"}, {"Lucas", "lucas"}, {"Mia", "mia"},
	{"Priya", "priya"}, {"Arjun", "arjun"}, {"Wei", "wei"}, {"Mei", "mei"},
	{"Carlos", "carlos"}, {"Lucia", "lucia"}, {"Ivan", "ivan"}, {"Elena", "elena"},
	{"Kwame", "kwame"}, {"Amina", "amina"}, {"Hiroshi", "hiroshi"}, {"Yuki", "yuki"},
	{"محمد", "mohammed"}, {"أحمد", "ahmed"}, {"فاطمة", "fatima"}, {"عائشة", "aisha"},
	{"خالد", "khalid"}, {"مريم", "mariam"}, {"يوسف", "yousef"}, {"نورة", "noura"},
	{"حمد", "hamad"}, {"ليلى", "layla"}, {"عبدالله", "abdullah"}, {"سارة", "sara"},
}

var lastNames = []personName{
	{"Al-Thani", "althani"}, {"Al-Kuwari", "alkuwari"}, {"Al-Mansouri", "almansouri"},
	{"Al-Hajri", "alhajri"}, {"Al-Sulaiti", "alsulaiti"}, {"Al-Kaabi", "alkaabi"},
	{"Al-Marri", "almarri"}, {"Al-Naimi", "alnaimi"}, {"Haddad", "haddad"}, {"Khoury", "khoury"},
	{"Nasser", "nasser"}, {"Saleh", "saleh"}, {"Ibrahim", "ibrahim"}, {"Mahmoud", "mahmoud"},
	{"Smith", "smith"}, {"Johnson", "johnson"}, {"Brown", "brown"}, {"Garcia", "garcia"},
	{"Martinez", "martinez"}, {"Rossi", "rossi"}, {"Müller", "mueller"}, {"Dubois", "dubois"},
	{"Kowalski", "kowalski"}, {"Ivanov", "ivanov"}, {"Sharma", "sharma"}, {"Patel", "patel"},
	{"Chen", "chen"}, {"Wang", "wang"}, {"Tanaka", "tanaka"}, {"Kim", "kim"},
	{"Okafor", "okafor"}, {"Mensah", "mensah"},
	{"الثاني", "althani"}, {"الكواري", "alkuwari"}, {"المنصوري", "almansouri"},
	{"الهاجري", "alhajri"}, {"السليطي", "alsulaiti"}, {"الكعبي", "alkaabi"},
	{"المري", "almarri"}, {"النعيمي", "alnaimi"},
}

// person is the data of the n-th client a run creates.
type person struct{ name, email, phone string }

// newPerson returns distinct data for each n; run makes e-mail addresses
// differ between runs, so a rerun on the same database makes no duplicates.
func newPerson(n uint64, run string) person {
	h := mix64(n)
	first := firstNames[h%uint64(len(firstNames))]
	last := lastNames[(h>>16)%uint64(len(lastNames))]
	num := strconv.FormatUint(n, 10)
	local := strconv.FormatUint(10000000+(h>>32)%90000000, 10)
	return person{
		name:  first.text + " " + last.text + " " + num,
		email: first.ascii + "." + last.ascii + "." + run + "." + num + "@example.com",
		phone: "+974 " + local[:4] + " " + local[4:],
	}
}

// body returns p as a create request body.
func (p person) body() []byte {
	b := make([]byte, 0, 128)
	b = append(b, `{"name":`...)
	b = strictjson.AppendString(b, p.name)
	b = append(b, `,"email":`...)
	b = strictjson.AppendString(b, p.email)
	b = append(b, `,"phone":`...)
	b = strictjson.AppendString(b, p.phone)
	return append(b, '}')
}

// keyword returns five characters from the middle of name, a substring a
// merchant might type into a search box.
func keyword(name string) string {
	n := utf8.RuneCountInString(name)
	if n <= 5 {
		return name
	}
	start := (n - 5) / 2
	runes := []rune(name)
	return string(runes[start : start+5])
}

// shortKeyword returns the first one or two characters of one of the
// words of a name: what a short keyword finds (see fatora.KeywordForms).
func shortKeyword(name string, rnd *rand.Rand) string {
	words := strings.Fields(strings.ReplaceAll(name, "-", " "))
	runes := []rune(words[rnd.IntN(len(words))])
	return string(runes[:min(len(runes), 1+rnd.IntN(2))])
}

// mix64 scrambles n (SplitMix64's finalizer), so consecutive clients get
// unrelated names.
func mix64(n uint64) uint64 {
	n += 0x9e3779b97f4a7c15
	n = (n ^ (n >> 30)) * 0xbf58476d1ce4e5b9
	n = (n ^ (n >> 27)) * 0x94d049bb133111eb
	return n ^ (n >> 31)
}

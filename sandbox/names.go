package sandbox

// A name as written, with the Latin letters an e-mail address is made of.
type name struct{ text, latin string }

// Arabic first names, given in the Gulf, with their common romanisation.
var arabicFirstNames = []name{
	{"محمد", "mohammed"}, {"أحمد", "ahmed"}, {"عبدالله", "abdullah"}, {"خالد", "khalid"}, {"سعود", "saud"},
	{"فهد", "fahad"}, {"ناصر", "nasser"}, {"حمد", "hamad"}, {"جاسم", "jassim"}, {"علي", "ali"},
	{"عمر", "omar"}, {"يوسف", "yousef"}, {"سلطان", "sultan"}, {"راشد", "rashid"}, {"منصور", "mansour"},
	{"فيصل", "faisal"}, {"عبدالرحمن", "abdulrahman"}, {"ماجد", "majed"}, {"طلال", "talal"}, {"بدر", "bader"},
	{"فاطمة", "fatima"}, {"مريم", "maryam"}, {"نورة", "noura"}, {"عائشة", "aisha"}, {"سارة", "sara"},
	{"هند", "hind"}, {"لطيفة", "latifa"}, {"موزة", "moza"}, {"شيخة", "sheikha"}, {"ريم", "reem"},
	{"دانة", "dana"}, {"العنود", "alanoud"}, {"منيرة", "munira"}, {"حصة", "hessa"}, {"لولوة", "lulwa"},
	{"أمل", "amal"}, {"هيا", "haya"}, {"نوف", "nouf"}, {"جواهر", "jawaher"}, {"مها", "maha"},
}

// Arabic family names of the Gulf.
var arabicFamilyNames = []name{
	{"آل ثاني", "althani"}, {"الكواري", "alkuwari"}, {"المري", "almarri"}, {"الهاجري", "alhajri"},
	{"النعيمي", "alnuaimi"}, {"العتيبي", "alotaibi"}, {"الشمري", "alshammari"}, {"القحطاني", "alqahtani"},
	{"الدوسري", "aldosari"}, {"المطيري", "almutairi"}, {"الزعابي", "alzaabi"}, {"الشامسي", "alshamsi"},
	{"الكعبي", "alkaabi"}, {"البلوشي", "albalushi"}, {"الفلاسي", "alfalasi"}, {"العنزي", "alenezi"},
	{"الرشيدي", "alrashidi"}, {"الحارثي", "alharthi"}, {"البوسعيدي", "albusaidi"}, {"الغامدي", "alghamdi"},
	{"الزهراني", "alzahrani"}, {"السليطي", "alsulaiti"}, {"المهندي", "almohannadi"}, {"الخليفي", "alkhulaifi"},
}

// Names written in Latin letters: Gulf Arabs who write them so, and the
// region's many residents from South Asia, the Philippines and beyond.
var latinFirstNames = []string{
	"Mohammed", "Ahmed", "Fatima", "Aisha", "Omar", "Layla", "Khalid", "Noura", "Rahul", "Priya",
	"Anil", "Sunita", "Arjun", "Deepa", "Lakshmi", "Imran", "Ayesha", "Bilal", "Sana", "Rizwan",
	"Joseph", "Maria", "Jose", "Grace", "Ramon", "Cristina", "John", "Sarah", "David", "Emma",
}

var latinFamilyNames = []string{
	"Al-Mansoori", "Al-Hashimi", "Al-Kuwari", "Al-Marri", "Haddad", "Khoury", "Mahmoud", "Khan", "Hussain",
	"Qureshi", "Siddiqui", "Sharma", "Nair", "Pillai", "Menon", "Iyer", "Patel", "Thomas", "Mathew",
	"Fernandes", "D'Souza", "Santos", "Reyes", "Cruz", "Smith", "Brown", "Williams",
}

// A country of the Gulf: its calling code, how its mobile numbers begin
// and how many digits they have, and places in it, in Arabic and English.
type country struct {
	code     string
	mobile   []string
	digits   int
	trunk    bool // written at home with a leading 0 (050 ...)
	places   []name
	groupsOf []int // how the number is grouped at home
}

var gulf = []country{
	{code: "974", mobile: []string{"33", "55", "66", "70", "77"}, digits: 8, groupsOf: []int{4, 4},
		places: []name{{"الدوحة، الخليج الغربي", "West Bay, Doha"}, {"الدوحة، السد", "Al Sadd, Doha"},
			{"الريان", "Al Rayyan"}, {"الوكرة", "Al Wakrah"}, {"لوسيل", "Lusail"}, {"الخور", "Al Khor"}}},
	{code: "971", mobile: []string{"50", "52", "54", "55", "56", "58"}, digits: 9, trunk: true, groupsOf: []int{2, 3, 4},
		places: []name{{"دبي، ديرة", "Deira, Dubai"}, {"دبي، البرشاء", "Al Barsha, Dubai"}, {"أبوظبي", "Abu Dhabi"},
			{"الشارقة", "Sharjah"}, {"العين", "Al Ain"}, {"عجمان", "Ajman"}}},
	{code: "966", mobile: []string{"50", "53", "54", "55", "56", "58", "59"}, digits: 9, trunk: true, groupsOf: []int{2, 3, 4},
		places: []name{{"الرياض، العليا", "Olaya, Riyadh"}, {"جدة، الروضة", "Al Rawdah, Jeddah"}, {"الدمام", "Dammam"},
			{"الخبر", "Al Khobar"}, {"مكة المكرمة", "Makkah"}}},
	{code: "965", mobile: []string{"5", "6", "9"}, digits: 8, groupsOf: []int{4, 4},
		places: []name{{"مدينة الكويت", "Kuwait City"}, {"حولي", "Hawalli"}, {"السالمية", "Salmiya"}, {"الجهراء", "Jahra"}}},
	{code: "973", mobile: []string{"33", "34", "36", "39", "66"}, digits: 8, groupsOf: []int{4, 4},
		places: []name{{"المنامة", "Manama"}, {"المحرق", "Muharraq"}, {"الرفاع", "Riffa"}}},
	{code: "968", mobile: []string{"71", "72", "79", "90", "92", "99"}, digits: 8, groupsOf: []int{4, 4},
		places: []name{{"مسقط، القرم", "Qurum, Muscat"}, {"صلالة", "Salalah"}, {"صحار", "Sohar"}, {"نزوى", "Nizwa"}}},
}

// Notes a merchant keeps about some clients.
var notes = []string{
	"VIP", "عميل منذ 2019", "Prefers WhatsApp", "يفضل التواصل مساءً", "Corporate account",
	"Pays by bank transfer", "الفاتورة باسم الشركة", "Delivery after 4 pm",
}

// E-mail domains reserved for examples (RFC 2606), so that no seeded
// address reaches anyone.
var emailDomains = []string{"example.com", "example.net", "example.org"}

//! Payment card numbers and IBANs.
//!
//! Both carry a checksum, which is what keeps this cheap and quiet: a card
//! number must pass Luhn and an IBAN must pass ISO 7064 mod 97-10, so random
//! digits and identifiers almost never qualify.
//!
//! **Cards.** A brand's prefix and length (Visa 4…, 16 digits; Mastercard
//! 51–55 and 2221–2720, 16; Amex 34/37, 15; Discover 6011/644–649/65, 16;
//! JCB 3528–3589, 16; Diners Club 300–305/36/38/39, 14; UnionPay 62, 16; Mir
//! 2200–2204, 16; Maestro's 16-digit ranges), written contiguously or in
//! groups separated by single spaces or dashes, the same throughout:
//! 4-4-4-4, 4-6-5 (Amex) or 4-6-4 (Diners). Lengths of 13, 17, 18 and 19
//! digits are left out: those card numbers are rare, while 17–19 digit IDs
//! and timestamps are everywhere. The number must stand alone: not glued to
//! letters, not the fraction of a decimal, not part of a longer digit run or
//! a longer sequence of groups, not a path segment.
//!
//! **Where.** In data files: everything but program source (see
//! [`file_kind::is_source_code`]), so test data, snapshots, docs,
//! configuration, logs. Program source is not scanned for either: its long
//! digit runs are constants, hashes and test vectors, and on the corpus
//! scanning every source byte for digit patterns cost as much time as all
//! the token rules together. [`find_payment_data`] still takes
//! `contiguous_cards: false` for callers that want only grouped numbers.
//!
//! **IBANs.** Two-letter country code, two check digits and the country's
//! BBAN length from the ISO 13616 registry, contiguous or in groups of four
//! separated by single spaces, upper case; the BBAN must be at least half
//! digits (random upper-case tokens are not), and mod 97 must be 1.
//!
//! **Not reported** (documentation and test data):
//! - the public test numbers of the card networks and payment processors
//!   (`4111 1111 1111 1111`, `4242 4242 4242 4242`, `5555 5555 5555 4444`,
//!   `3782 822463 10005`…, see [`TEST_CARDS`]) and synthetic numbers: a run
//!   of six identical digits, fewer than four distinct digits, or a number
//!   that repeats a block of at most four digits (`5454 5454 5454 5454`);
//! - the example IBANs of the registry, banks and Wikipedia
//!   (`GB82 WEST 1234 5698 7654 32`, `DE89 3704 0044 0532 0130 00`…, see
//!   [`EXAMPLE_IBANS`]) and IBANs whose digits count six up or down in a
//!   row (`…123456…`), as made-up ones do.

use crate::diagnostic::{Category, Level, Match};
use crate::rules::file_kind;
use crate::rules::{Detector, Family, FileContext, Finder, Rule};

pub static FAMILY: Family = Family {
    rules: &[&PAYMENT_CARD, &IBAN],
    finder: Finder::Text(&PaymentDetector),
};

pub static PAYMENT_CARD: Rule = Rule {
    name: "payment-card",
    category: Category::Pii,
    default_level: Level::Warn,
    summary: "payment card number (Luhn-valid, known brand prefix)",
    doc: r#"
## What it does
Finds payment card numbers: a Visa, Mastercard, American Express, Discover,
JCB, Diners Club, UnionPay, Mir or Maestro prefix with the brand's length,
written contiguously or grouped (`4-4-4-4`, Amex `4-6-5`, Diners `4-6-4`)
with spaces or dashes, that pass the Luhn check, in data files (test data,
snapshots, docs, configuration): program source is not scanned for them.
The networks' public test numbers (`4111 1111 1111 1111`, `4242 4242 4242
4242`, `5555 5555 5555 4444`, `378282246310005`…) and obviously synthetic
numbers are not reported.

## Why is this bad?
A card number is personal financial data, and with an expiry date it is
enough for fraud. Test fixtures built from production data, logs and
exported spreadsheets carry real numbers into repositories, and a
published crate keeps them for good.

## Example
```csv
customer,card
Jane Doe,4111 1111 1111 1111
```
(`4111 1111 1111 1111` is the card networks' documented Visa test number,
standing in for a real card: test numbers are not reported.)

## How to fix
Remove the number; if it came from real data, tell its owner's bank. For
tests, use the documented test numbers of your payment processor (such as
`4242 4242 4242 4242`), which are not reported.
"#,
    ..Rule::DEFAULT
};

pub static IBAN: Rule = Rule {
    name: "iban",
    category: Category::Pii,
    default_level: Level::Warn,
    summary: "international bank account number (IBAN, mod-97 valid)",
    doc: r#"
## What it does
Finds IBANs in data files (not program source): a country code, two check
digits and a bank account number of the country's registered length,
contiguous or in groups of four, that pass the ISO 13616 mod-97 check. The example IBANs of the registry, of banks and
of Wikipedia (`GB82 WEST 1234 5698 7654 32`, `DE89 3704 0044 0532 0130
00`…) are not reported.

## Why is this bad?
An IBAN identifies a person's bank account and is often enough to set up a
direct debit in their name. It is personal data under the GDPR.

## Example
```json
{"name": "Jane Doe", "iban": "FR76 3000 4000 0312 3456 7890 143"}
```

## How to fix
Remove it, or replace it with a documented example IBAN such as
`GB82 WEST 1234 5698 7654 32`.
"#,
    ..Rule::DEFAULT
};

/// Public test card numbers of card networks and payment processors
/// (Stripe, Adyen, Braintree, PayPal, Worldpay…) that the synthetic-number
/// checks do not already catch.
pub const TEST_CARDS: &[&str] = &[
    "4000056655665556",
    "4000002500003155",
    "4000000000009995",
    "4000002760003184",
    "4000008260003178",
    "4005519200000004",
    "4009348888881881",
    "4012000033330026",
    "4217651111111119",
    "4988438843884305",
    "4001919257537193",
    "4007702835532454",
    "4444333322221111",
    "4111111145551142",
    "5200828282828210",
    "2223003122003222",
    "2223000048400011",
    "5425233430109903",
    "2222400070000005",
    "5555341244441115",
    "5577000055770004",
    "5555444433331111",
    "2222410740360010",
    "378282246310005",
    "371449635398431",
    "378734493671000",
    "374245455400126",
    "374251018720018",
    "374251021090003",
    "6011000990139424",
    "6011981111111113",
    "30569309025904",
    "38520000023237",
    "36227206271667",
    "36148900647913",
    "3530111333300000",
    "3566002020360505",
    "3566111111111113",
    "3569990010095841",
    "6250941006528599",
];

/// Example IBANs from the ISO 13616 registry, banks' documentation and
/// Wikipedia, normalised (no spaces).
pub const EXAMPLE_IBANS: &[&str] = &[
    "GB82WEST12345698765432",
    "GB29NWBK60161331926819",
    "GB33BUKB20201555555555",
    "DE89370400440532013000",
    "DE75512108001245126199",
    "FR1420041010050500013M02606",
    "FR7630006000011234567890189",
    "NL91ABNA0417164300",
    "CH9300762011623852957",
    "CH5604835012345678009",
    "BE68539007547034",
    "BE71096123456769",
    "ES9121000418450200051332",
    "IT60X0542811101000000123456",
    "AT611904300234573201",
    "PL61109010140000071219812874",
    "SE4550000000058398257466",
    "DK5000400440116243",
    "NO9386011117947",
    "FI2112345600000785",
    "LU280019400644750000",
    "IE29AIBK93115212345678",
    "PT50000201231234567890154",
    "CZ6508000000192000145399",
    "HU42117730161111101800000000",
    "SA0380000000608010167519",
    "AE070331234567890123456",
    "GR1601101250000000012300695",
    "RO49AAAA1B31007593840000",
    "SK3112000000198742637541",
    "SI56263300012039086",
    "HR1210010051863000160",
    "BG80BNBG96611020345678",
    "TR330006100519786457841326",
    "LT121000011101001000",
    "LV80BANK0000435195001",
    "EE382200221020145685",
    "MT84MALT011000012345MTLCAST001S",
    "CY17002001280000001200527600",
    "IS140159260076545510730339",
    "LI21088100002324013AA",
    "MC5811222000010123456789030",
    "SM86U0322509800000000270100",
    "AD1200012030200359100100",
    "GI75NWBK000000007099453",
    "IL620108000000099999999",
    "KW81CBKU0000000000001234560101",
    "QA58DOHB00001234567890ABCDEFG",
    "BH67BMAG00001299123456",
    "JO94CBJO0010000000000131000302",
    "LB62099900000001001901229114",
    "MU17BOMM0101101030300200000MUR",
    "BR1800360305000010009795493C1",
    "UA213223130000026007233566001",
    "KZ86125KZT5004100100",
    "AZ21NABZ00000000137010001944",
    "GE29NB0000000101904917",
    "MD24AG000225100013104168",
    "ME25505000012345678951",
    "RS35260005601001611379",
    "MK07250120000058984",
    "AL47212110090000000235698741",
    "BA391290079401028494",
    "XK051212012345678906",
    "DO28BAGR00000001212453611324",
    "CR05015202001026284066",
    "GT82TRAJ01020000001210029690",
    "PK36SCBL0000001123456702",
    "PS92PALS000000000400123456702",
    "TN5910006035183598478831",
    "VG96VPVG0000012345678901",
    "TL380080012345678910157",
    "EG380019000500000000263180002",
    "IQ98NBIQ850123456789012",
    "LC55HEMM000100010012001200023015",
    "RU0304452522540817810538091310419",
    "VA59001123000012345678",
    "FO6264600001631634",
    "GL8964710001000206",
];

/// Registered IBAN lengths (ISO 13616), by country code.
const IBAN_LENGTHS: &[(&str, usize)] = &[
    ("AD", 24),
    ("AE", 23),
    ("AL", 28),
    ("AT", 20),
    ("AZ", 28),
    ("BA", 20),
    ("BE", 16),
    ("BG", 22),
    ("BH", 22),
    ("BI", 27),
    ("BR", 29),
    ("BY", 28),
    ("CH", 21),
    ("CR", 22),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DJ", 27),
    ("DK", 18),
    ("DO", 28),
    ("EE", 20),
    ("EG", 29),
    ("ES", 24),
    ("FI", 18),
    ("FK", 18),
    ("FO", 18),
    ("FR", 27),
    ("GB", 22),
    ("GE", 22),
    ("GI", 23),
    ("GL", 18),
    ("GR", 27),
    ("GT", 28),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IL", 23),
    ("IQ", 23),
    ("IS", 26),
    ("IT", 27),
    ("JO", 30),
    ("KW", 30),
    ("KZ", 20),
    ("LB", 28),
    ("LC", 32),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("LY", 25),
    ("MC", 27),
    ("MD", 24),
    ("ME", 22),
    ("MK", 19),
    ("MN", 20),
    ("MR", 27),
    ("MT", 31),
    ("MU", 30),
    ("NI", 28),
    ("NL", 18),
    ("NO", 15),
    ("OM", 23),
    ("PK", 24),
    ("PL", 28),
    ("PS", 29),
    ("PT", 25),
    ("QA", 29),
    ("RO", 24),
    ("RS", 22),
    ("RU", 33),
    ("SA", 24),
    ("SC", 31),
    ("SD", 18),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("SO", 23),
    ("ST", 25),
    ("SV", 28),
    ("TL", 23),
    ("TN", 24),
    ("TR", 26),
    ("UA", 29),
    ("VA", 22),
    ("VG", 24),
    ("XK", 20),
    ("YE", 30),
];

/// The registered length of `country`'s IBANs.
pub fn iban_length(country: &str) -> Option<usize> {
    IBAN_LENGTHS
        .iter()
        .find(|(code, _)| *code == country)
        .map(|&(_, len)| len)
}

/// Luhn check over ASCII digits.
pub fn luhn_valid(digits: &[u8]) -> bool {
    digits.len() > 1 && luhn_sum(digits, false) % 10 == 0
}

/// The digit that makes `partial` followed by it pass Luhn.
pub fn luhn_check_digit(partial: &[u8]) -> u8 {
    b'0' + ((10 - luhn_sum(partial, true) % 10) % 10) as u8
}

/// Luhn sum; `double_last` is true when a check digit will follow `digits`.
fn luhn_sum(digits: &[u8], double_last: bool) -> u32 {
    digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d - b'0');
            if (i % 2 == 1) != double_last {
                if d > 4 {
                    d * 2 - 9
                } else {
                    d * 2
                }
            } else {
                d
            }
        })
        .sum()
}

/// The card brand a number of this prefix and length belongs to.
pub fn card_brand(digits: &[u8]) -> Option<&'static str> {
    let prefix = |n: usize| -> u32 {
        digits[..n]
            .iter()
            .fold(0, |acc, &d| acc * 10 + u32::from(d - b'0'))
    };
    if digits.len() < 14 {
        return None;
    }
    let (p2, p3, p4) = (prefix(2), prefix(3), prefix(4));
    match digits.len() {
        16 if digits[0] == b'4' => Some("Visa"),
        16 if (51..=55).contains(&p2) || (2221..=2720).contains(&p4) => Some("Mastercard"),
        16 if (2200..=2204).contains(&p4) => Some("Mir"),
        16 if p4 == 6011 || (644..=649).contains(&p3) || p2 == 65 => Some("Discover"),
        16 if (3528..=3589).contains(&p4) => Some("JCB"),
        16 if p2 == 62 => Some("UnionPay"),
        16 if matches!(
            p4,
            5018 | 5020 | 5038 | 5893 | 6304 | 6759 | 6761 | 6762 | 6763
        ) =>
        {
            Some("Maestro")
        }
        15 if p2 == 34 || p2 == 37 => Some("American Express"),
        14 if (300..=305).contains(&p3) || matches!(p2, 36 | 38 | 39) => Some("Diners Club"),
        _ => None,
    }
}

/// ISO 7064 mod 97-10 over an IBAN without spaces (country and check digits
/// moved to the end, letters as 10–35).
pub fn iban_mod97(iban: &[u8]) -> Option<u32> {
    if iban.len() < 5 {
        return None;
    }
    let (head, tail) = iban.split_at(4);
    let mut rem = 0u32;
    for &c in tail.iter().chain(head) {
        let v = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            _ => return None,
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    Some(rem)
}

/// A syntactically valid IBAN (spaces already removed): known country,
/// registered length, check digits that pass mod 97.
pub fn iban_valid(iban: &[u8]) -> bool {
    iban.len() >= 15
        && iban[..2].iter().all(u8::is_ascii_uppercase)
        && iban[2..4].iter().all(u8::is_ascii_digit)
        && std::str::from_utf8(&iban[..2]).ok().and_then(iban_length) == Some(iban.len())
        && iban_mod97(iban) == Some(1)
}

/// The two check digits that make `country` + them + `bban` a valid IBAN.
pub fn iban_check_digits(country: &str, bban: &str) -> String {
    let probe = format!("{country}00{bban}");
    let rem = iban_mod97(probe.as_bytes()).unwrap_or(0);
    format!("{:02}", 98 - rem)
}

/// Where the next card number or IBAN candidate at or after `from`
/// is: the leftmost, non-overlapping matches of
///
/// ```text
///   [A-Z]{2}[0-9]{2}(?:\x20?[A-Z0-9]{4}){2,7}(?:\x20?[A-Z0-9]{1,4})?
/// | [0-9]{4}[\x20-][0-9]{4}[\x20-][0-9]{4}[\x20-][0-9]{4}
/// | [0-9]{4}[\x20-][0-9]{6}[\x20-][0-9]{4,5}
/// | [0-9]{14,16}
/// ```
///
/// (one pass for both: an IBAN starts with two capitals, a card with a
/// digit; boundaries, separators and checksums are checked by hand), as the
/// regex crate's leftmost-first `find_iter` reports them. Matched by hand:
/// each branch can be read greedily without backtracking, and every match
/// has digits two and three bytes in, so the scan steps two bytes at a time
/// over text without digits. The regex crate, which finds no literal to
/// search for in it, ran at 0.5 GB/s on the corpus's data files.
fn next_candidate(bytes: &[u8], from: usize) -> Option<std::ops::Range<usize>> {
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let mut p = from;
    while p + 3 < bytes.len() {
        if !digit(p + 3) {
            // Neither `p` nor `p + 1` (whose third byte this is) can start one.
            p += 2;
        } else if !digit(p + 2) {
            p += 1;
        } else if let Some(end) = candidate_at(bytes, p) {
            return Some(p..end);
        } else {
            p += 1;
        }
    }
    None
}

/// The end of the candidate starting at `p`, trying the branches of
/// [`next_candidate`]'s pattern in order, each as far as it goes.
fn candidate_at(bytes: &[u8], p: usize) -> Option<usize> {
    let upper = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_uppercase);
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let alnum = |i: usize| upper(i) || digit(i);
    let sep = |i: usize| matches!(bytes.get(i), Some(b' ' | b'-'));
    let digits = |i: usize, n: usize| (i..i + n).all(digit);
    if upper(p) && upper(p + 1) && digit(p + 2) && digit(p + 3) {
        let mut i = p + 4;
        let mut groups = 0;
        while groups < 7 {
            let j = if bytes.get(i) == Some(&b' ') {
                i + 1
            } else {
                i
            };
            if !(j..j + 4).all(alnum) {
                break;
            }
            i = j + 4;
            groups += 1;
        }
        if groups >= 2 {
            let j = if bytes.get(i) == Some(&b' ') {
                i + 1
            } else {
                i
            };
            let tail = (j..j + 4).take_while(|&k| alnum(k)).count();
            return Some(if tail > 0 { j + tail } else { i });
        }
        return None;
    }
    if !digits(p, 4) {
        return None;
    }
    let four_groups = sep(p + 4) && digits(p + 5, 4) && sep(p + 9) && digits(p + 10, 4);
    if four_groups && sep(p + 14) && digits(p + 15, 4) {
        return Some(p + 19);
    }
    if sep(p + 4) && digits(p + 5, 6) && sep(p + 11) && digits(p + 12, 4) {
        return Some(if digit(p + 16) { p + 17 } else { p + 16 });
    }
    let run = (p..p + 16).take_while(|&i| digit(i)).count();
    (run >= 14).then_some(p + run)
}

/// What [`find_payment_data`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentData {
    pub range: std::ops::Range<usize>,
    pub rule: &'static Rule,
    /// Brand of a card, `"IBAN"` for an account number.
    pub kind: &'static str,
    pub redacted: String,
}

/// Card numbers and IBANs in `text`; `contiguous_cards` is false for
/// program source, where only grouped card numbers are reported.
pub fn find_payment_data(
    text: &str,
    contiguous_cards: bool,
) -> impl Iterator<Item = PaymentData> + '_ {
    let bytes = text.as_bytes();
    let mut from = 0;
    std::iter::from_fn(move || {
        let range = next_candidate(bytes, from)?;
        from = range.end;
        Some(range)
    })
    .filter_map(move |range| {
        if bytes[range.start].is_ascii_uppercase() {
            iban_at(bytes, range)
        } else {
            card_at(bytes, range, contiguous_cards)
        }
    })
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn card_at(
    bytes: &[u8],
    range: std::ops::Range<usize>,
    contiguous_cards: bool,
) -> Option<PaymentData> {
    let raw = &bytes[range.clone()];
    let sep = raw.iter().copied().find(|b| !b.is_ascii_digit());
    if let Some(sep) = sep {
        if raw.iter().any(|&b| !b.is_ascii_digit() && b != sep) {
            return None;
        }
    } else if !contiguous_cards {
        return None;
    }
    let before = &bytes[..range.start];
    let after = &bytes[range.end..];
    // Glued to a word, the fraction or integer part of a decimal, a signed
    // number or a path segment.
    if before
        .last()
        .is_some_and(|&b| is_word_byte(b) || matches!(b, b'.' | b'-' | b'+' | b'/'))
    {
        return None;
    }
    match after {
        [b, ..] if is_word_byte(*b) || *b == b'/' => return None,
        [b'.' | b'-', d, ..] if d.is_ascii_digit() => return None,
        _ => {}
    }
    // More groups of digits on either side: a longer grouped number.
    if let Some(sep) = sep {
        let leading_digits = |s: &[u8]| s.iter().take_while(|b| b.is_ascii_digit()).count();
        if after.first() == Some(&sep) && leading_digits(&after[1..]) >= 4 {
            return None;
        }
        let trailing = before.iter().rev().skip(1);
        if before.last() == Some(&sep) && trailing.take_while(|b| b.is_ascii_digit()).count() >= 4 {
            return None;
        }
    }
    let mut digits = [0u8; 16];
    let mut n = 0;
    for &b in raw.iter().filter(|b| b.is_ascii_digit()) {
        digits[n] = b;
        n += 1;
    }
    let digits = &digits[..n];
    let brand = card_brand(digits)?;
    let grouping_fits = match (sep.is_some(), n) {
        (false, _) => true,
        (true, 16) => raw.len() == 19 && raw[4] == raw[9],
        (true, 15 | 14) => raw[4] == raw[11],
        _ => false,
    };
    if !grouping_fits || !luhn_valid(digits) || is_test_card(digits) {
        return None;
    }
    let redacted = format!(
        "{}…{}",
        digits[0] as char,
        std::str::from_utf8(&digits[n - 4..]).ok()?
    );
    Some(PaymentData {
        range,
        rule: &PAYMENT_CARD,
        kind: brand,
        redacted,
    })
}

/// A public test number, or a number no issuer would assign.
fn is_test_card(digits: &[u8]) -> bool {
    if TEST_CARDS.iter().any(|t| t.as_bytes() == digits) {
        return true;
    }
    let mut seen = [false; 10];
    for &d in digits {
        seen[usize::from(d - b'0')] = true;
    }
    let distinct = seen.iter().filter(|&&s| s).count();
    let longest_run = digits
        .chunk_by(|a, b| a == b)
        .map(<[u8]>::len)
        .max()
        .unwrap_or(0);
    let periodic = (1..=4).any(|p| (p..12).all(|i| digits[i] == digits[i - p]));
    distinct < 4 || longest_run >= 6 || periodic
}

fn iban_at(bytes: &[u8], range: std::ops::Range<usize>) -> Option<PaymentData> {
    if range.start > 0 && is_word_byte(bytes[range.start - 1]) {
        return None;
    }
    let raw = &bytes[range.clone()];
    let country = std::str::from_utf8(&raw[..2]).ok()?;
    let expected = iban_length(country)?;
    // The regex may have run on into a following group of four (`… 3000 ABCD`):
    // cut after `expected` characters if that falls at a space.
    let mut kept = 0;
    let mut end = raw.len();
    for (i, &b) in raw.iter().enumerate() {
        if b != b' ' {
            kept += 1;
            if kept == expected {
                end = i + 1;
                break;
            }
        }
    }
    if kept < expected || (end < raw.len() && raw[end] != b' ') {
        return None;
    }
    let range = range.start..range.start + end;
    if range.end == range.start + raw.len()
        && bytes.get(range.end).copied().is_some_and(is_word_byte)
    {
        return None;
    }
    let raw = &raw[..end];
    // Spaces only between groups of four (after the first four characters).
    let grouped = raw.contains(&b' ');
    if grouped
        && raw
            .iter()
            .enumerate()
            .any(|(i, &b)| (b == b' ') != (i % 5 == 4))
    {
        return None;
    }
    let mut iban = [0u8; 34];
    let mut n = 0;
    for &b in raw.iter().filter(|&&b| b != b' ') {
        iban[n] = b;
        n += 1;
    }
    let iban = &iban[..n];
    let bban = &iban[4..];
    let digits = bban.iter().filter(|b| b.is_ascii_digit()).count();
    if digits * 2 < bban.len() || !iban_valid(iban) || is_example_iban(iban) {
        return None;
    }
    let redacted = format!("{country}…{}", std::str::from_utf8(&iban[n - 4..]).ok()?);
    Some(PaymentData {
        range,
        rule: &IBAN,
        kind: "IBAN",
        redacted,
    })
}

fn is_example_iban(iban: &[u8]) -> bool {
    if EXAMPLE_IBANS.iter().any(|e| e.as_bytes() == iban) {
        return true;
    }
    // Six digits counting up or down: `…123456…`, `…987654…`.
    iban[4..].windows(6).any(|w| {
        w.iter().all(u8::is_ascii_digit)
            && (w.windows(2).all(|p| p[1] == p[0] + 1) || w.windows(2).all(|p| p[0] == p[1] + 1))
    })
}

pub struct PaymentDetector;

impl Detector for PaymentDetector {
    fn scan(&self, text: &str, file: FileContext<'_>, out: &mut Vec<Match>) {
        if file_kind::is_source_code(file.archive_path) {
            return;
        }
        for found in find_payment_data(text, true) {
            let (message, help) = if found.rule.name == IBAN.name {
                (
                    "IBAN (bank account number)".to_owned(),
                    "remove it, or use a documented example such as `GB82 WEST 1234 5698 7654 32`",
                )
            } else {
                (
                    format!("{} card number", found.kind),
                    "remove it; for tests use your payment processor's documented test numbers",
                )
            };
            out.push(
                Match::new(found.rule, found.range, message, found.redacted)
                    .label("personal financial data")
                    .note("a published crate is public and permanent: yanking does not delete it")
                    .help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Luhn-valid number: `partial` plus its check digit.
    fn card(partial: &str) -> String {
        let mut s = partial.to_owned();
        s.push(luhn_check_digit(partial.as_bytes()) as char);
        s
    }

    fn group(digits: &str, sizes: &[usize], sep: char) -> String {
        let mut out = String::new();
        let mut at = 0;
        for (i, &size) in sizes.iter().enumerate() {
            if i > 0 {
                out.push(sep);
            }
            out.push_str(&digits[at..at + size]);
            at += size;
        }
        out
    }

    /// A valid IBAN for `country` and `bban`.
    fn iban(country: &str, bban: &str) -> String {
        format!("{country}{}{bban}", iban_check_digits(country, bban))
    }

    fn spaced(iban: &str) -> String {
        let chunks: Vec<String> = iban
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        chunks.join(" ")
    }

    fn found(text: &str, contiguous_cards: bool) -> Vec<(&'static str, String)> {
        find_payment_data(text, contiguous_cards)
            .map(|f| {
                assert_eq!(f.range.end - f.range.start, text[f.range.clone()].len());
                (f.kind, f.redacted)
            })
            .collect()
    }

    /// Changes the digit at byte `at` to the next one.
    fn bump(s: &str, at: usize) -> String {
        let mut b = s.as_bytes().to_vec();
        b[at] = if b[at] == b'9' { b'0' } else { b[at] + 1 };
        String::from_utf8(b).unwrap()
    }

    #[test]
    fn luhn_and_check_digit_agree() {
        assert!(luhn_valid(b"79927398713"));
        assert!(!luhn_valid(b"79927398710"));
        assert_eq!(luhn_check_digit(b"7992739871"), b'3');
        for t in TEST_CARDS {
            assert!(luhn_valid(t.as_bytes()), "{t}");
            assert!(card_brand(t.as_bytes()).is_some(), "{t}");
        }
    }

    #[test]
    fn finds_cards_of_each_brand_contiguous_and_grouped() {
        let cases = [
            ("453201511283036", "Visa", &[4, 4, 4, 4][..]),
            ("531278645290117", "Mastercard", &[4, 4, 4, 4]),
            ("272011378562491", "Mastercard", &[4, 4, 4, 4]),
            ("37828762931400", "American Express", &[4, 6, 5]),
            ("601152937468102", "Discover", &[4, 4, 4, 4]),
            ("353829173045561", "JCB", &[4, 4, 4, 4]),
            ("3056829174635", "Diners Club", &[4, 6, 4]),
            ("620371945862013", "UnionPay", &[4, 4, 4, 4]),
        ];
        for (partial, brand, sizes) in cases {
            let number = card(partial);
            let last4 = &number[number.len() - 4..];
            let redacted = format!("{}…{last4}", &number[..1]);
            let expected = vec![(brand, redacted.clone())];
            assert_eq!(
                found(&format!("card: {number}\n"), true),
                expected,
                "{number}"
            );
            for sep in [' ', '-'] {
                let grouped = group(&number, sizes, sep);
                assert_eq!(
                    found(&format!("\"{grouped}\""), true),
                    expected,
                    "{grouped}"
                );
                assert_eq!(found(&grouped, false), expected, "source: {grouped}");
            }
            assert!(!redacted.contains(&number[1..number.len() - 4]));
            // One digit changed: Luhn fails.
            for at in [1, 7, number.len() - 1] {
                let changed = bump(&number, at);
                assert_eq!(found(&changed, true), [], "{changed}");
            }
        }
    }

    #[test]
    fn program_source_is_not_scanned_data_files_are() {
        let number = card("453201511283036");
        assert_eq!(found(&format!("const N: u64 = {number};"), false), []);
        let grouped = format!(
            "{} {} {} {}",
            &number[..4],
            &number[4..8],
            &number[8..12],
            &number[12..]
        );
        let mut in_source = Vec::new();
        PaymentDetector.scan(
            &format!("let card = \"{grouped}\";"),
            FileContext {
                archive_path: "src/fixtures.rs",
                is_manifest: false,
                package: "demo",
            },
            &mut in_source,
        );
        assert!(
            in_source.is_empty(),
            "grouped or not, source is not scanned"
        );
        let detector = PaymentDetector;
        let mut out = Vec::new();
        let file = |archive_path| FileContext {
            archive_path,
            is_manifest: false,
            package: "demo",
        };
        detector.scan(&number, file("src/lib.rs"), &mut out);
        assert!(out.is_empty());
        detector.scan(&number, file("tests/data/orders.csv"), &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].rule.name, "payment-card");
        assert!(!out[0].redacted.contains(&number));
    }

    #[test]
    fn ignores_test_numbers_and_synthetic_ones() {
        for text in [
            "4111 1111 1111 1111",
            "4111111111111111",
            "4242-4242-4242-4242",
            "5555 5555 5555 4444",
            "5105105105105100",
            "378282246310005",
            "3782 822463 10005",
            "4012888888881881",
            "6011111111111117",
            "4000000000000002",
            "5454545454545454",
        ] {
            assert_eq!(found(text, true), [], "{text}");
        }
    }

    #[test]
    fn ignores_cards_inside_longer_numbers_and_identifiers() {
        let n = card("453201511283036");
        for text in [
            format!("9{n}"),
            format!("{n}7"),
            format!("id_{n}"),
            format!("{n}abc"),
            format!("0.{n}"),
            format!("-{n}"),
            format!("/orders/{n}/"),
            format!("{n}.5"),
            format!("{} 1234", group(&n, &[4, 4, 4, 4], ' ')),
            format!("9876 {}", group(&n, &[4, 4, 4, 4], ' ')),
            group(&n, &[4, 6, 6], ' '),
            format!("{}-{}", &n[..8], &n[8..]),
            format!("{} {}", &n[..4], group(&n[4..], &[4, 4, 4], '-')),
        ] {
            assert_eq!(found(&text, true), [], "{text}");
        }
        // An expiry date or a CVV after a grouped number does not hide it.
        let grouped = group(&n, &[4, 4, 4, 4], ' ');
        assert_eq!(found(&format!("{grouped} 12/27 123"), true).len(), 1);
        assert_eq!(found(&format!("{n},12,2027"), true).len(), 1);
    }

    #[test]
    fn example_ibans_are_valid_and_ignored() {
        for e in EXAMPLE_IBANS {
            assert!(iban_valid(e.as_bytes()), "{e}");
            assert_eq!(found(e, true), [], "{e}");
            assert_eq!(found(&spaced(e), true), [], "{e}");
        }
        assert_eq!(found("IBAN: GB82 WEST 1234 5698 7654 32.", true), []);
        assert_eq!(found("DE89 3704 0044 0532 0130 00", true), []);
    }

    #[test]
    fn finds_ibans_contiguous_and_grouped() {
        for (country, bban) in [
            ("DE", "500105170938471625"),
            ("FR", "30004028370001937460143"),
            ("GB", "NWBK40517293840561"),
            ("NL", "RABO0317493827"),
            ("ES", "21000813710209374618"),
            ("BE", "731029384756"),
            ("NO", "86017294813"),
        ] {
            let number = iban(country, bban);
            assert!(iban_valid(number.as_bytes()), "{number}");
            let last4 = &number[number.len() - 4..];
            let expected = vec![("IBAN", format!("{country}…{last4}"))];
            assert_eq!(found(&number, false), expected, "{number}");
            let grouped = spaced(&number);
            let text = format!("IBAN: {grouped} (BIC: ABCDEFGH)");
            assert_eq!(found(&text, false), expected, "{text}");
            let json = format!("{{\"iban\":\"{number}\"}}");
            assert_eq!(found(&json, true), expected, "{json}");
            // One character changed: mod 97 fails.
            for at in [5, 9, number.len() - 1] {
                if number.as_bytes()[at].is_ascii_digit() {
                    let changed = bump(&number, at);
                    assert_eq!(found(&changed, true), [], "{changed}");
                }
            }
        }
    }

    /// The hand matcher that replaced the candidate regex reports what the
    /// regex reported, on text made of the pieces it looks at (digits,
    /// capitals, spaces, dashes) mixed with others.
    #[test]
    fn candidates_are_the_matches_of_the_regex_they_replace() {
        let regex = regex::Regex::new(
            r"(?x)
              [A-Z]{2}[0-9]{2}(?:\x20?[A-Z0-9]{4}){2,7}(?:\x20?[A-Z0-9]{1,4})?
            | [0-9]{4}[\x20-][0-9]{4}[\x20-][0-9]{4}[\x20-][0-9]{4}
            | [0-9]{4}[\x20-][0-9]{6}[\x20-][0-9]{4,5}
            | [0-9]{14,16}
            ",
        )
        .unwrap();
        let pieces = [
            "1", "2", "0", "9", "12", "1234", "4111", "A", "GB", "DE89", "WEST", " ", "-", "x",
            "\n", "é", "_", ".",
        ];
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut with_matches = 0;
        for _ in 0..20_000 {
            let text: String = (0..next() % 60)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect();
            let expected: Vec<_> = regex.find_iter(&text).map(|m| m.range()).collect();
            let mut found = Vec::new();
            while let Some(range) = next_candidate(
                text.as_bytes(),
                found.last().map_or(0, |r: &std::ops::Range<usize>| r.end),
            ) {
                found.push(range);
            }
            assert_eq!(found, expected, "{text:?}");
            with_matches += usize::from(!expected.is_empty());
        }
        assert!(with_matches > 2_000, "{with_matches}");
    }

    /// The scan steps two bytes at a time where there are no digits: a
    /// number at the very start or end of the text, right after another
    /// one or after digits that start none, is still found.
    #[test]
    fn numbers_at_the_edges_of_the_scan_are_still_found() {
        let card = group(&card("453201511283036"), &[4, 4, 4, 4], ' ');
        let iban = iban("DE", "500105170938471625");
        let spaced_iban = spaced(&iban);
        for number in [card.as_str(), iban.as_str(), spaced_iban.as_str()] {
            for (before, after) in [
                ("", ""),
                ("x", ""),
                ("xy", "\n"),
                ("12 ", ""),
                ("1 x", " z"),
                ("\n", "."),
            ] {
                let text = format!("{before}{number}{after}");
                let hits: Vec<_> = find_payment_data(&text, true).map(|f| f.range).collect();
                let expected = before.len()..before.len() + number.len();
                let expected = if before.ends_with(|c: char| c.is_ascii_alphanumeric()) {
                    vec![]
                } else {
                    vec![expected]
                };
                assert_eq!(hits, expected, "{text:?}");
            }
        }
        let two = format!("{card}, {iban}");
        assert_eq!(found(&two, true).len(), 2, "{two}");
    }

    #[test]
    fn an_iban_followed_by_a_group_of_four_is_cut_at_its_length() {
        let number = iban("BE", "731029384756");
        let text = format!("{} ABCD", spaced(&number));
        let hit = find_payment_data(&text, true).next().unwrap();
        assert_eq!(text[hit.range].replace(' ', ""), number);
    }

    #[test]
    fn ignores_what_only_looks_like_an_iban() {
        let number = iban("DE", "500105170938471625");
        for text in [
            format!("X{number}"),
            format!("{number}9"),
            format!("{number}_x"),
            number.to_lowercase(),
            // Wrong length for the country.
            iban("DE", "50010517093847162"),
            // Unknown country.
            iban("US", "500105170938471625"),
            // Random upper-case token: mostly letters.
            iban("GB", "ABCDEFGHKLMNPQRSTU"),
            // Groups of the wrong size.
            format!("{} {}", &number[..6], &number[6..]),
        ] {
            assert_eq!(found(&text, true), [], "{text}");
        }
    }
}

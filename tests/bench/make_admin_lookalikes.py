#!/usr/bin/python3
"""Regenerates the admin-brand lookalike evaluation set (issue #19 item 1).

    apt-get install dnstwist   # Debian 12: 0~20221213; only to regenerate
    /usr/bin/python3 tests/bench/make_admin_lookalikes.py [OUT_DIR]

writes OUT_DIR/admin-lookalikes.tsv (default tests/data/lookalike): one
lookalike host per line, "HOST<TAB>BRAND<TAB>FUZZER<TAB>SPLIT". The brands
are in admin-brands.tsv beside it ("NAME<TAB>DOMAIN<TAB>SPLIT"), real
companies that are not among the shipped defaults, added the way
`lureguard brands add NAME --domain D` adds them (no token words).

Hosts come from two generators, both offline and seeded:
  - Debian's dnstwist (0~20221213) Fuzzer class: every fuzzer, with
    --dictionary admin-lure-words.txt and --tld admin-tlds.txt, both written
    for this set. dnstwist never resolves anything here: only
    Fuzzer.generate() is called, never its scanner.
  - our own multi-substitution extended-Latin homoglyphs ("xlatin-*"): two
    or three letters replaced by letters with diacritics, IPA letters or
    letters with hooks and descenders ("paŷpəl"), which dnstwist's homoglyph
    fuzzer reaches only one or two at a time.

Each fuzzer keeps at most PER_FUZZER hosts per brand, sampled with a fixed
seed, so that a brand with a long name (thousands of homoglyphs) does not
outweigh the others. SPLIT is "dev" (the brands the engine was tuned on) or
"held-out" (looked at only to report).
"""

import os
import random
import sys
import unicodedata

import dnstwist

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, '..', 'data', 'lookalike')
PER_FUZZER = 25
SEED = 19

# Letters with diacritics: what NFD takes apart into a base letter and marks.
DIACRITICS = {
    'a': 'àáâãäåāăąǎȧạả', 'c': 'çćĉċč', 'e': 'èéêëēĕėęěẹẽ',
    'g': 'ĝğġģǧǵ', 'h': 'ĥȟḣḥḧḩ', 'i': 'ìíîïĩīĭįǐịỉ', 'j': 'ĵǰ',
    'k': 'ķǩḱḳḵ', 'l': 'ĺļľḷḻ', 'n': 'ñńņňǹṅṇṉ', 'o': 'òóôõöōŏőǒȯọỏơ',
    'r': 'ŕŗřȑȓṙṛṟ', 's': 'śŝşšșṡṣ', 't': 'ţťțṫṭṯ', 'u': 'ùúûüũūŭůűųǔưụ',
    'w': 'ŵẁẃẅẇẉ', 'y': 'ýÿŷȳẏỳỵỷỹ', 'z': 'źżžẑẓẕ', 'b': 'ḃḅḇ',
    'd': 'ďḋḍḏḑḓ', 'f': 'ḟ', 'm': 'ḿṁṃ', 'p': 'ṕṗ', 'v': 'ṽṿ', 'x': 'ẋẍ',
}
# IPA letters that read as a Latin letter in a host.
IPA = {
    'a': 'əɑɐ', 'e': 'əɛɘ', 'g': 'ɡ', 'i': 'ɪɩ', 'o': 'ɔɵ', 'u': 'ʊʉɥ',
    'v': 'ʋ', 'y': 'ʏ', 'r': 'ɾɹ', 'n': 'ɲ', 'c': 'ɕ', 'z': 'ʑ', 'l': 'ʟ',
}
# Letters with hooks, descenders, strokes and bars (Latin Extended-B, IPA
# Extensions, Latin Extended-C and -D).
HOOKS = {
    'b': 'ɓƀꞗ', 'c': 'ƈꞓȼ', 'd': 'ɗɖđ', 'f': 'ƒꞙ', 'g': 'ɠǥꞡ',
    'h': 'ɦⱨꞕħ', 'j': 'ʝɉ', 'k': 'ƙⱪꞣ', 'l': 'ɭƚłꝉ', 'm': 'ɱ',
    'n': 'ꞑɳƞꞥ', 'p': 'ƥꝑ', 'q': 'ʠꝗɋ', 'r': 'ɽꞧɍ', 's': 'ʂꞩȿ',
    't': 'ƫʈƭŧ', 'v': 'ⱱⱴ', 'w': 'ⱳ', 'y': 'ƴɏ', 'z': 'ȥʐⱬƶ',
}

DNSTWIST_FUZZERS = [
    'addition', 'bitsquatting', 'cyrillic', 'homoglyph', 'hyphenation',
    'insertion', 'omission', 'repetition', 'replacement', 'subdomain',
    'transposition', 'vowel-swap', 'dictionary', 'tld-swap', 'various',
]


def read_list(name):
    with open(os.path.join(DATA, name), encoding='utf-8') as f:
        return [line.strip() for line in f
                if line.strip() and not line.startswith('#')]


def to_ascii(host):
    """Punycode per label; None when a label does not encode."""
    labels = []
    for label in unicodedata.normalize('NFC', host).split('.'):
        if label.isascii():
            labels.append(label)
            continue
        try:
            labels.append('xn--' + label.encode('punycode').decode('ascii'))
        except UnicodeError:
            return None
    return '.'.join(labels)


def homoglyph_pool(fuzzer, rng):
    """dnstwist's homoglyph fuzzer with its second round on a sample of the
    first: the full second round of a 15-letter name is millions of
    hosts."""
    label = fuzzer.domain
    glyphs = fuzzer.glyphs

    def mix(domain):
        for w in range(1, len(domain)):
            for i in range(len(domain) - w + 1):
                pre, win, suf = domain[:i], domain[i:i + w], domain[i + w:]
                for c in set(win):
                    for g in glyphs.get(c, []):
                        yield pre + win.replace(c, g) + suf

    first = set(mix(label))
    second = set()
    for r in rng.sample(sorted(first), min(60, len(first))):
        second.update(mix(r))
    return first | second


def dnstwist_hosts(domain, words, tlds, rng):
    fuzzer = dnstwist.Fuzzer(domain, dictionary=words, tld_dictionary=tlds)
    by_fuzzer = {}
    for name in DNSTWIST_FUZZERS:
        if name == 'homoglyph':
            continue
        fuzzer.domains = set()
        fuzzer.tld_dictionary = list(tlds)
        fuzzer.generate(fuzzers=[name])
        by_fuzzer[name] = {p['domain'] for p in fuzzer.domains
                           if p['fuzzer'] == name}
    suffix = fuzzer.tld
    by_fuzzer['homoglyph'] = {
        h for h in (to_ascii(g + '.' + suffix)
                    for g in homoglyph_pool(fuzzer, rng)) if h}
    return by_fuzzer


def substitute(label, table, count, rng):
    """`label` with `count` distinct positions replaced from `table`."""
    positions = [i for i, c in enumerate(label) if c in table]
    if len(positions) < count:
        return None
    chars = list(label)
    for i in rng.sample(positions, count):
        chars[i] = rng.choice(table[chars[i]])
    return ''.join(chars)


def xlatin_hosts(label, suffix, rng):
    mixed = {}
    for table in (DIACRITICS, IPA, HOOKS):
        for c, letters in table.items():
            mixed[c] = mixed.get(c, '') + letters
    out = {}
    for name, table in (('xlatin-diacritics', DIACRITICS), ('xlatin-ipa', IPA),
                        ('xlatin-hooks', HOOKS), ('xlatin-mixed', mixed)):
        hosts = set()
        for _ in range(PER_FUZZER * 4):
            count = 2 if len(label) < 8 or rng.random() < 0.5 else 3
            spoof = substitute(label, table, count, rng)
            if spoof is None:
                continue
            host = to_ascii(spoof + '.' + suffix)
            if host:
                hosts.add(host)
        out[name] = hosts
    return out


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else DATA
    words = read_list('admin-lure-words.txt')
    tlds = read_list('admin-tlds.txt')
    brands = [line.split('\t') for line in read_list('admin-brands.tsv')]
    rng = random.Random(SEED)
    rows = []
    for name, domain, split in brands:
        label, suffix = domain.split('.', 1)
        generated = dnstwist_hosts(domain, words, tlds, rng)
        generated.update(xlatin_hosts(label, suffix, rng))
        for fuzzer in sorted(generated):
            hosts = sorted(h for h in generated[fuzzer] if h != domain)
            for host in rng.sample(hosts, min(PER_FUZZER, len(hosts))):
                rows.append((host, name, fuzzer, split))
    with open(os.path.join(out_dir, 'admin-lookalikes.tsv'), 'w',
              encoding='utf-8') as f:
        f.write('# Generated by tests/bench/make_admin_lookalikes.py; do not '
                'edit.\n# host\tbrand\tfuzzer\tsplit\n')
        for row in rows:
            f.write('\t'.join(row) + '\n')
    print(f'{len(rows)} hosts for {len(brands)} brands', file=sys.stderr)


if __name__ == '__main__':
    main()

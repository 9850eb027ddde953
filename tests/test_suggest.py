"""msglint.suggest: rank reply scenarios for a buyer's incoming message."""
import json
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from msglint import suggest as sg
from msglint.resources import templates_dir
from msglint.suggest import Suggestion, detect_language, suggest

LABELLED = Path(__file__).resolve().parent / "data" / "suggest_labelled.jsonl"
TOP1_MIN = 0.80
TOP3_MIN = 0.95


# --------------------------------------------------------------------------- accuracy


def _load_labelled():
    rows = []
    with LABELLED.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
    return rows


def evaluate(rows, use_given_lang: bool = True):
    """Top-1/top-3 accuracy overall and per language; the label or any of ``also`` counts."""
    total = defaultdict(int)
    top1 = defaultdict(int)
    top3 = defaultdict(int)
    misses = []
    for row in rows:
        ok = {row["label"], *row.get("also", ())}
        got = [s.scenario_id for s in suggest(row["text"], lang=row["lang"] if use_given_lang else None, top=3)]
        for key in ("all", row["lang"]):
            total[key] += 1
            top1[key] += bool(got[:1] and got[0] in ok)
            top3[key] += bool(ok & set(got))
        if not (got[:1] and got[0] in ok):
            misses.append((row["id"], row["label"], got))
    return ({k: top1[k] / total[k] for k in total}, {k: top3[k] / total[k] for k in total}, misses)


@pytest.fixture(scope="module")
def labelled_scores():
    rows = _load_labelled()
    assert len(rows) >= 100
    return evaluate(rows)


def test_top1_accuracy_on_labelled_set(labelled_scores):
    top1, _top3, misses = labelled_scores
    assert top1["all"] >= TOP1_MIN, f"top-1 {top1['all']:.3f} < {TOP1_MIN}; misses: {misses}"


def test_top3_accuracy_on_labelled_set(labelled_scores):
    _top1, top3, misses = labelled_scores
    assert top3["all"] >= TOP3_MIN, f"top-3 {top3['all']:.3f} < {TOP3_MIN}"


def test_language_detection_on_labelled_set():
    rows = _load_labelled()
    right = sum(detect_language(r["text"]) == r["lang"] for r in rows)
    assert right / len(rows) >= 0.95


# --------------------------------------------------------------------------- behaviour


@pytest.mark.parametrize("lang, text, expected", [
    ("en", "The vase I ordered came smashed to pieces, the box was crushed.", "damaged-photo-request"),
    ("en", "Amazon shows my parcel was delivered on Monday but there is nothing on my doorstep.", "delivered-not-received"),
    ("en", "Hi, I placed this order by accident, could you please cancel it before it ships?", "buyer-cancellation-confirmed"),
    ("en", "Could you send me a VAT invoice for this purchase? I need it for my accounts.", "invoice-sent"),
    ("en", "The kettle stopped working after three days, it won't switch on at all.", "defective-troubleshooting"),
    ("de", "Die Schrauben für die Montage fehlen im Paket.", "missing-parts"),
    ("de", "Bitte stornieren Sie meine Bestellung, ich habe doppelt bestellt.", "buyer-cancellation-confirmed"),
    ("de", "Ich habe eine ganz andere Lampe bekommen als die, die ich bestellt habe. Falscher Artikel!", "wrong-item"),
    ("de", "Mein Paket ist seit zwei Wochen unterwegs und die Sendungsverfolgung wird nicht aktualisiert. Ist es verloren gegangen?", "lost-in-transit"),
    ("fr", "Bonjour, la rétrofacturation a été faite par ma banque, je n'avais pas reçu le colis.", "chargeback"),
    ("fr", "Les chaussures sont trop petites, est-il possible de les échanger contre une taille au-dessus ?", "exchange-size-colour"),
    ("fr", "Pourriez-vous me dire si cette cafetière est compatible avec les capsules Nespresso ?", "product-question-answer"),
    ("es", "Mi pedido todavía no ha llegado y la fecha de entrega prevista ya pasó. ¿Dónde está mi pedido?", "shipping-delay"),
    ("es", "¿Cuánto dura la garantía de esta aspiradora? Necesito el certificado de garantía.", "warranty-info"),
    ("es", "Me he mudado y la dirección de envío está mal, ¿podéis cambiar la dirección?", "address-problem"),
    ("it", "Ho rispedito il prodotto la settimana scorsa, quando riceverò il rimborso?", "return-received-refund"),
    ("it", "Avete annullato il mio ordine, perché? Il prodotto è esaurito?", "seller-cancelled-out-of-stock"),
    ("it", "Ho aperto un reclamo dalla A alla Z perché il pacco non è mai arrivato.", "a-to-z-claim"),
    ("ja", "注文した商品と違う商品が届きました。", "wrong-item"),
    ("ja", "返金済みとメールが来ましたが、カードの明細に反映されていません。", "refund-not-showing"),
    ("ja", "名入れの文字を「HANA 2024」でお願いします。フォントはどれが選べますか。", "customization-confirm"),
    ("ja", "ソファの配達日時を指定したいです。平日は不在なので土曜日希望です。", "bulky-delivery-scheduling"),
])
def test_clear_messages_rank_the_right_scenario_first(lang, text, expected):
    got = suggest(text, lang=lang)
    assert got and got[0].scenario_id == expected, got
    assert detect_language(text) == lang


def test_negation_separates_delivered_claim_from_not_yet_delivered():
    assert suggest("Tracking says it was delivered yesterday, but I have not received anything.")[0].scenario_id == \
        "delivered-not-received"
    assert suggest("My order has not been delivered yet and it was due last week.")[0].scenario_id == "shipping-delay"


def test_refund_not_showing_versus_return_received():
    assert suggest("You said you refunded me a week ago but the refund is not showing in my bank account.")[0] \
        .scenario_id == "refund-not-showing"
    assert suggest("I sent the item back ten days ago, you should have received it. When will I get my refund?")[0] \
        .scenario_id == "return-received-refund"


def test_suggestion_shape():
    got = suggest("The glass bowl arrived cracked.", top=3)
    assert 1 <= len(got) <= 3
    assert all(isinstance(s, Suggestion) for s in got)
    assert [s.score for s in got] == sorted((s.score for s in got), reverse=True)
    best = got[0]
    assert best.scenario_id == "damaged-photo-request"
    assert "\n" not in best.reason and "'arrived cracked'" in best.reason
    assert len(suggest("The glass bowl arrived cracked.", top=1)) == 1


def test_short_ambiguous_text_is_read_in_the_language_that_matches():
    # py3langid takes "Refund?" for German at low confidence; the English reading matches cues
    assert "refund" in suggest("Refund?")[0].scenario_id


def test_no_cue_falls_back_to_a_question():
    got = suggest("Hello.", lang="en")
    assert [s.scenario_id for s in got] == ["product-question-answer"]
    assert got[0].score == 0.0


@pytest.mark.parametrize("text", ["", "   ", "\n\t  \n"])
def test_empty_input_raises(text):
    with pytest.raises(ValueError):
        suggest(text)


def test_bad_arguments_raise():
    with pytest.raises(ValueError):
        suggest("Where is my order?", lang="pt")
    with pytest.raises(ValueError):
        suggest("Where is my order?", top=0)


@pytest.mark.parametrize("text, lang", [
    ("Where is my parcel? It should have arrived last week.", "en"),
    ("Wo bleibt mein Paket? Es hätte letzte Woche ankommen sollen.", "de"),
    ("Où est mon colis ? Il aurait dû arriver la semaine dernière.", "fr"),
    ("¿Dónde está mi paquete? Debería haber llegado la semana pasada.", "es"),
    ("Dov'è il mio pacco? Sarebbe dovuto arrivare la settimana scorsa.", "it"),
    ("荷物はいつ届きますか。", "ja"),
])
def test_detect_language(text, lang):
    assert detect_language(text) == lang


# --------------------------------------------------------------------------- cue file


def _catalogue_ids():
    cat = yaml.safe_load((templates_dir() / "catalogue.yaml").read_text("utf-8"))
    return [s["id"] for s in cat["scenarios"]]


def test_cue_file_scenarios_match_the_catalogue():
    cues = sg.load_cue_file()["scenarios"]
    catalogue = _catalogue_ids()
    assert set(cues) <= set(catalogue), f"unknown scenario ids in cue file: {set(cues) - set(catalogue)}"
    assert len(catalogue) >= 52
    for sid in catalogue:
        assert sid in cues, f"{sid} has no cues"
        per_lang = cues[sid]["cues"]
        for lang in sg.LANGS:
            phrases = [p for ps in (per_lang.get(lang) or {}).values() for p in (ps or ())]
            assert phrases, f"{sid} has no cues in {lang}"
        assert cues[sid].get("reason"), f"{sid} has no reason text"


def test_cue_file_signals_are_defined_in_every_language():
    data = sg.load_cue_file()
    signals = data["signals"]
    for name, per_lang in signals.items():
        for lang in sg.LANGS:
            assert per_lang.get(lang), f"signal @{name} has no phrases in {lang}"
    # every referenced signal exists, every weight is a number: compiling all languages checks both
    for lang in sg.LANGS:
        assert len(sg._scenarios(lang)) == len(_catalogue_ids())
        sg._book(lang)


# --------------------------------------------------------------------------- reply library v2 (issue 12)

V2_DEV = Path(__file__).resolve().parent / "data" / "suggest_v2_dev.jsonl"
V2_NEW = ("order-in-transit", "cancel-after-shipment", "address-change-request", "returned-to-sender",
          "pickup-not-collected", "split-shipment", "keep-item-partial-refund-offer", "return-not-eligible",
          "return-arrived-damaged", "refund-before-return", "return-label-problem", "vat-invoice-business-details",
          "credit-note-after-refund", "statutory-guarantee-claim", "fba-order-amazon-handles", "pre-order-question",
          "decline-contact-request", "not-as-described", "counterfeit-complaint", "customs-import-fees",
          "digital-access-key", "reminder-no-answer")


def _load(path):
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="module")
def v2_scores():
    # Written by the author of the cues while extending them (not blind): a regression guard for all
    # 52 scenarios. The blind measurement is a separate, sealed set.
    rows = _load(V2_DEV)
    return rows, evaluate(rows)


def test_v2_dev_set_covers_every_new_scenario_in_every_language(v2_scores):
    rows, _scores = v2_scores
    by_label = defaultdict(set)
    for row in rows:
        by_label[row["label"]].add(row["lang"])
    for sid in V2_NEW:
        assert by_label[sid] == set(sg.LANGS), (sid, sorted(by_label[sid]))
    assert set(by_label) == set(_catalogue_ids())      # old scenarios are checked against the new ones too


def test_v2_dev_set_accuracy(v2_scores):
    _rows, (top1, top3, misses) = v2_scores
    assert top1["all"] >= 0.95, f"top-1 {top1['all']:.3f}; misses: {misses}"
    assert top3["all"] >= 0.98, f"top-3 {top3['all']:.3f}"
    for lang in sg.LANGS:
        assert top1[lang] >= 0.9, (lang, top1[lang])


@pytest.mark.parametrize("lang, text, expected", [
    ("en", "Has my order been dispatched yet? When should I expect it?", "order-in-transit"),
    ("en", "It was due last Tuesday and it still hasn't arrived. Where is it?", "shipping-delay"),
    ("de", "Bitte stornieren Sie meine Bestellung, ich habe mich vertan.", "buyer-cancellation-confirmed"),
    ("de", "Ich wollte stornieren, aber das Paket ist schon verschickt. Kann ich die Annahme verweigern?",
     "cancel-after-shipment"),
    ("fr", "Pouvez-vous m'envoyer la facture de ma commande ?", "invoice-sent"),
    ("fr", "J'ai besoin d'une facture au nom de ma société avec notre numéro de TVA.", "vat-invoice-business-details"),
    ("fr", "Suite au remboursement, il me faudrait une facture d'avoir pour ma comptabilité.", "credit-note-after-refund"),
    ("es", "El paquete está en la oficina de Correos, ¿hasta cuándo lo guardan?", "pickup-not-collected"),
    ("es", "Según el seguimiento el paquete ha sido devuelto al remitente. ¿Me lo podéis reenviar?", "returned-to-sender"),
    ("it", "Mi mandate un'etichetta di reso prepagata? Il ferro perde acqua.", "return-prepaid-label"),
    ("it", "L'etichetta di reso non è valida, il punto di ritiro non la accetta.", "return-label-problem"),
    ("ja", "返品期限は過ぎていますが、未使用なので返品できますか。", "goodwill-return"),
    ("ja", "購入して10か月で電源が入らなくなりました。修理していただけますか。", "statutory-guarantee-claim"),
    ("en", "Hi, before I buy: is the cover machine washable?", "pre-order-question"),
    ("en", "I received the cover yesterday, is it machine washable?", "product-question-answer"),
    ("de", "Können Sie mir Ihre Telefonnummer geben? Dann rufe ich kurz an.", "decline-contact-request"),
    ("it", "Questo profumo è contraffatto, non è originale.", "counterfeit-complaint"),
    ("en", "The courier wants £20 in import duty before delivering. Was that not paid already?", "customs-import-fees"),
    ("es", "No me ha llegado la clave de activación del programa.", "digital-access-key"),
])
def test_new_scenarios_stand_apart_from_their_neighbours(lang, text, expected):
    got = suggest(text, lang=lang)
    assert got and got[0].scenario_id == expected, got


def test_cue_file_has_no_duplicate_weights():
    """YAML keeps only the last of two equal keys: a second `4:` line would silently drop the first."""
    class Loader(yaml.SafeLoader):
        pass

    duplicates = []

    def mapping(loader, node, deep=False):
        seen = set()
        for key_node, _value in node.value:
            key = loader.construct_object(key_node, deep=deep)
            if key in seen:
                duplicates.append((key, key_node.start_mark.line + 1))
            seen.add(key)
        return yaml.SafeLoader.construct_mapping(loader, node, deep)

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    yaml.load((templates_dir() / "suggest_cues.yaml").read_text("utf-8"), Loader=Loader)
    assert duplicates == []


# --------------------------------------------------------------------------- close neighbours (tuning set, suggest-v3)
# Messages written for these tests (not taken from any labelled set): each pair of close scenarios is told
# apart by what the buyer reports or asks, in every language.


@pytest.mark.parametrize("lang, text, expected", [
    # photos already attached and a new item asked for -> replacement, not a photo request
    ("en", "The mirror came with a chip in the corner. I've attached photos of the box. Please send me a new one.",
     "damaged-replacement-sent"),
    ("de", "Die Vase ist mit einem Riss angekommen, Fotos anbei. Schicken Sie mir bitte eine neue.", "damaged-replacement-sent"),
    ("fr", "Le plat est arrivé fêlé, photos ci-jointes. Je préfère un remplacement plutôt qu'un remboursement.",
     "damaged-replacement-sent"),
    ("es", "La lámpara llegó con el cristal roto, os adjunto fotos. Enviadme otra, por favor.", "damaged-replacement-sent"),
    ("it", "La teiera è arrivata scheggiata, vi allego le foto. Mi inviate una nuova per favore?", "damaged-replacement-sent"),
    ("ja", "マグカップが割れて届きました。写真を添付します。新しいものを送ってください。", "damaged-replacement-sent"),
    # a faulty item goes back at the seller's cost -> prepaid label, not buyer pays
    ("en", "The toaster stopped working after two days. I want to send it back, surely I don't pay the postage?",
     "return-prepaid-label"),
    ("de", "Der Mixer funktioniert nicht. Ich möchte ihn zurückschicken, die Versandkosten zahle ich doch nicht, oder?",
     "return-prepaid-label"),
    ("ja", "イヤホンの片方から音が出ません。返品したいのですが、送料はどうなりますか。", "return-prepaid-label"),
    # an item the buyer has already used -> not eligible, not change of mind
    ("fr", "Je voudrais retourner le rasoir, je l'ai utilisé une semaine et il ne me plaît pas.", "return-not-eligible"),
    ("it", "Vorrei restituire il costume, l'ho indossato una volta al mare ma non mi piace.", "return-not-eligible"),
    # the buyer's own ordering mistake -> buyer pays, not wrong item
    ("es", "Me equivoqué de talla al pedir las botas, siguen sin usar en su caja. ¿Puedo devolverlas?", "return-buyer-pays"),
    # the buyer knows the return window is over -> goodwill return, not a delay
    ("en", "I know I'm a bit late, it's been over 30 days, but could you still take the coat back? Never worn.",
     "goodwill-return"),
    ("de", "Die Rückgabefrist ist abgelaufen, ich weiß. Könnte ich die Schuhe trotzdem zurückgeben? Ungetragen.",
     "goodwill-return"),
    # asks the seller to open the return -> return info needed
    ("en", "Could you start a return for the lamp from my last order please?", "return-info-needed"),
    # paid for fast delivery that came late, keeps the item -> partial refund of the delivery charge
    ("en", "I paid for express delivery and it came a week late. I'm keeping the item but want the shipping charge back.",
     "partial-refund"),
    ("fr", "J'ai payé la livraison express mais le colis est arrivé avec cinq jours de retard. Pouvez-vous me rembourser les frais de port ?",
     "partial-refund"),
    ("it", "Ho pagato la spedizione veloce ma il pacco è arrivato dopo dieci giorni. Mi rimborsate almeno le spese di spedizione?",
     "partial-refund"),
    # the other items of the order come later -> split shipment; a component missing, the rest is there -> missing parts
    ("es", "Solo me llegó la sartén, el resto del pedido no venía. ¿Llegan por separado?", "split-shipment"),
    ("fr", "Je n'ai reçu que le tapis, les coussins commandés avec arrivent à part ?", "split-shipment"),
    ("it", "Nel pacco c'erano solo le tazze. I piattini arrivano in un secondo momento?", "split-shipment"),
    ("it", "Nella scatola della libreria manca una mensola, il resto c'è tutto.", "missing-parts"),
    ("en", "The desk came without the cable tray. Everything else is there.", "missing-parts"),
    ("es", "La silla vino sin los tornillos del respaldo, todo lo demás está bien.", "missing-parts"),
    # the return label is refused at the drop-off -> label problem, not a parcel waiting for pickup
    ("de", "Der QR-Code auf meinem Rücksendeetikett wird in der Filiale nicht erkannt.", "return-label-problem"),
    ("es", "En la oficina de Correos no me aceptan la etiqueta de devolución, dicen que no es válida.", "return-label-problem"),
    # order just placed, different address -> change request
    ("es", "Acabo de hacer el pedido con la dirección antigua. ¿Podéis enviarlo a mi casa nueva en la calle Luna 3?",
     "address-change-request"),
    # how long covered / what if it breaks -> warranty info, not a claim
    ("fr", "Combien de temps la bouilloire est-elle couverte par la garantie en cas de panne ?", "warranty-info"),
    ("it", "Quanti anni di garanzia ha l'aspirapolvere in caso di guasto?", "warranty-info"),
    ("es", "¿Cuánto tiempo de garantía tiene la freidora en caso de avería?", "warranty-info"),
    # the material differs from the listing -> not as described; the brand is doubted -> counterfeit
    ("es", "En la descripción pone piel auténtica y el bolso es de plástico.", "not-as-described"),
    ("it", "Nella descrizione c'era scritto legno massello, ma il tavolo è di truciolato.", "not-as-described"),
    ("en", "The logo looks off and the serial number doesn't register. Are these actually genuine?", "counterfeit-complaint"),
    ("fr", "Les baskets ont des coutures de travers, je pense que ce sont des fausses.", "counterfeit-complaint"),
])
def test_close_neighbours_are_told_apart(lang, text, expected):
    got = suggest(text, lang=lang)
    assert got and got[0].scenario_id == expected, got


def test_french_grave_is_no_engraving():
    # accents are folded for matching, so the engraving cue "gravé" would match "grave"
    got = suggest("Il manque une assiette dans le colis, ce n'est pas grave mais arrive-t-elle à part ?", lang="fr")
    assert "customization-confirm" not in [s.scenario_id for s in got]

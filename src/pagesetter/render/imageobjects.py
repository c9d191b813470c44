"""Image XObjects for prepared pictures (render.pictures): each picture's bytes embedded once per
document, already encoded (DCT or Flate, never ASCII85), with its soft mask and ICC profile."""
from __future__ import annotations

import hashlib

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, xObjectName

from .pictures import Picture


def image_name(doc, pic: Picture) -> str:
    """The XObject name of `pic` in `doc` (as the page content's Do operator names it), adding the
    image the first time its bytes are seen."""
    name = "Im" + hashlib.sha256(pic.data + (pic.smask or b"")).hexdigest()[:16]
    internal = xObjectName(name)
    if internal not in doc.idToObject:
        doc.Reference(_stream(doc, pic), internal)
    return name


def _stream(doc, pic: Picture) -> PDFStream:
    d = {"Type": PDFName("XObject"), "Subtype": PDFName("Image"), "Width": pic.width,
         "Height": pic.height, "BitsPerComponent": 8, "Filter": PDFName(pic.filter)}
    if pic.colorspace == "ICCBased":
        assert pic.icc is not None  # (prepare_picture gives an ICCBased picture its profile)
        icc = PDFStream(PDFDictionary({"N": 3, "Filter": PDFName("FlateDecode")}), _flate(pic.icc))
        d["ColorSpace"] = PDFArray([PDFName("ICCBased"), doc.Reference(icc)])
    else:
        d["ColorSpace"] = PDFName(pic.colorspace)
    if pic.decode_inverted:
        d["Decode"] = PDFArray([1, 0, 1, 0, 1, 0, 1, 0])
    if pic.smask is not None:
        mask = PDFStream(PDFDictionary({
            "Type": PDFName("XObject"), "Subtype": PDFName("Image"), "Width": pic.width,
            "Height": pic.height, "BitsPerComponent": 8, "ColorSpace": PDFName("DeviceGray"),
            "Filter": PDFName("FlateDecode")}), pic.smask)
        d["SMask"] = doc.Reference(mask)
    return PDFStream(PDFDictionary(d), pic.data)


def _flate(data: bytes) -> bytes:
    import zlib

    return zlib.compress(data, 6)

"""The services' catalogue, part: the sponsor's queries at the site (merged in `error_messages`)."""
from __future__ import annotations

from ecrf.errors import Message

M = Message
SPONSOR_QUERY_MESSAGES: dict[str, Message] = {
    "sponsor-certificate-invalid": M(
        "The file is not a certificate (PEM or DER).",
        "Register the file sponsor-certificate.pem that the sponsor sent (`ecrf sponsor key` writes it).",
        "该文件不是证书（PEM 或 DER 格式）。",
        "请注册申办方发送的 sponsor-certificate.pem 文件（由 `ecrf sponsor key` 生成）。"),
    "sponsor-certificate-not-sponsor": M(
        "The certificate '{subject}' is not a sponsor's certificate (a site's, or not made by ecrf); it was not "
        "registered.",
        "Register the file sponsor-certificate.pem that the sponsor sent.",
        "证书“{subject}”不是申办方证书（是中心证书，或不是由 ecrf 生成）；未注册。",
        "请注册申办方发送的 sponsor-certificate.pem 文件。"),
    "sponsor-certificate-not-registered": M(
        "No sponsor certificate is registered at this site, so no query bundle can be checked; nothing was imported.",
        "The site administrator registers the sponsor's certificate once (`ecrf site sponsor-certificate FILE`), "
        "after comparing its fingerprint with the sponsor by phone.",
        "本中心尚未注册申办方证书，因此无法核验质疑包；未导入任何内容。",
        "请中心管理员在与申办方电话核对指纹后注册申办方证书（`ecrf site sponsor-certificate FILE`），只需一次。"),
    "query-bundle-wrong-signer": M(
        "The query bundle is signed by a certificate with fingerprint {found}, not by the sponsor certificate "
        "registered here ({registered}); nothing was imported.",
        "Do not use this file. If the sponsor has a new key, register its new certificate after checking the "
        "fingerprint with the sponsor by phone.",
        "该质疑包的签名证书指纹为 {found}，而不是本中心注册的申办方证书（{registered}）；未导入任何内容。",
        "请勿使用此文件。如申办方更换了密钥，请在电话核对指纹后注册其新证书。"),
    "query-bundle-other-study": M(
        "The query bundle is for study {found}; this site belongs to study {here}. Nothing was imported.",
        "Ask the sponsor for this study's query bundle.",
        "该质疑包属于研究 {found}；本中心属于研究 {here}。未导入任何内容。",
        "请向申办方索取本研究的质疑包。"),
    "query-bundle-other-site": M(
        "The query bundle is for site {found}; this is site {here}. Nothing was imported.",
        "Pass the file on to site {found}, and ask the sponsor for this site's query bundle.",
        "该质疑包是发给中心 {found} 的；本中心是 {here}。未导入任何内容。",
        "请将该文件转交中心 {found}，并向申办方索取本中心的质疑包。"),
    "query-bundle-other-installation": M(
        "The query bundle is for installation {found} of this site, not for this one ({here}); nothing was "
        "imported.",
        "If this PC replaced the old one, ask the sponsor to merge a bundle of this installation first and then "
        "write the query bundle for it.",
        "该质疑包是发给本中心的安装 {found} 的，而不是本安装（{here}）；未导入任何内容。",
        "如本电脑替换了旧电脑，请申办方先合并本安装的数据包，再为本安装生成质疑包。"),
    "query-bundle-rolled-back": M(
        "The query bundle has number {sequence}, but number {last} was imported already: it is an older (or a "
        "different) bundle; nothing was imported.",
        "Import the sponsor's newest query bundle; it holds every sponsor query of this site.",
        "该质疑包编号为 {sequence}，但编号 {last} 已导入：这是较旧的（或不同的）质疑包；未导入任何内容。",
        "请导入申办方最新的质疑包；它包含本中心的全部申办方质疑。"),
    "query-bundle-subject-unknown": M(
        "Sponsor query {query_id} is about subject {subject}, whom this site does not hold; nothing was imported.",
        "Tell the sponsor: the query was raised on another site's subject.",
        "申办方质疑 {query_id} 涉及受试者 {subject}，但本中心没有该受试者；未导入任何内容。",
        "请告知申办方：该质疑是针对其他中心的受试者发起的。"),
    "query-bundle-place-unknown": M(
        "Sponsor query {query_id} cannot be placed here: {reason} Nothing was imported.",
        "Tell the sponsor which query it is; it must be raised again on a place of the study.",
        "申办方质疑 {query_id} 无法放置在本中心：{reason}未导入任何内容。",
        "请告知申办方是哪条质疑；须在研究中存在的位置上重新发起。"),
    "query-bundle-place-changed": M(
        "Sponsor query {query_id} (here {number}) is about another place in this bundle than when it was imported; "
        "nothing was imported.",
        "Do not use this file; tell the sponsor.",
        "申办方质疑 {query_id}（本中心编号 {number}）在此质疑包中的位置与导入时不同；未导入任何内容。",
        "请勿使用此文件，并告知申办方。"),
}

"""Why an export stopped, and why a bundle does not verify: the export's categories and catalogues.

Verification reasons are verdicts, printed as `NOT VERIFIED: <file>: <reason>`: each message starts with
the file it is about and says what is wrong. What to do is the same for every one of them (do not use the
bundle; ask the site for a new export), so it is said once, in docs/errors.md, and these entries carry no
action of their own: the verdict line keeps its shape.
"""
from __future__ import annotations

from ecrf.errors import EcrfError, Message, register


class ExportError(EcrfError):
    """An export could not be written; nothing that looks like a bundle was left."""


class ExportCancelled(ExportError):
    """The user cancelled: nothing was written that looks like a bundle."""


class VerificationRefused(EcrfError):
    """One reason a bundle (or a --trust argument) cannot be verified; the message starts with its file."""


M = Message
EXPORT_MESSAGES: dict[str, Message] = {
    "bundle-exists": M(
        "{path} already exists.",
        "Move it away or choose another folder, then export again.",
        "{path} 已存在。",
        "请将其移走或选择其他文件夹，然后重新导出。"),
    "export-disk-full": M(
        "The disk holding {folder} is full; the export was stopped and nothing was kept.",
        "Free some space or choose another folder, then export again.",
        "{folder} 所在的磁盘已满；导出已停止，未保留任何内容。",
        "请释放一些空间或选择其他文件夹，然后重新导出。"),
    "export-folder-read-only": M(
        "The folder {folder} cannot be written (read-only medium or no permission); no bundle was kept.",
        "Choose another folder, e.g. on a writable USB stick.",
        "文件夹 {folder} 无法写入（只读介质或没有权限）；未保留任何数据包。",
        "请选择其他文件夹，例如可写的 U 盘。"),
    "export-write-failed": M(
        "The bundle could not be written to {folder} ({reason}); nothing was kept.",
        "Try again; if it fails again, choose another folder.",
        "数据包无法写入 {folder}（{reason}）；未保留任何内容。",
        "请重试；如仍失败，请选择其他文件夹。"),
    "export-cancelled": M(
        "Export cancelled; no bundle was written.",
        "Export again when you are ready.",
        "导出已取消；未写入任何数据包。",
        "准备好后请重新导出。"),
    "export-folder-missing": M(
        "The folder {folder} does not exist.",
        "Choose an existing folder (or create it first).",
        "文件夹 {folder} 不存在。",
        "请选择一个已存在的文件夹（或先创建它）。"),
    "export-folder-is-file": M(
        "{folder} is a file, not a folder.",
        "Choose the folder to write the bundle into.",
        "{folder} 是文件，不是文件夹。",
        "请选择用于写入数据包的文件夹。"),
    "odm-schema-missing": M(
        "The CDISC ODM 1.3.2 schema was not found: the 'odmlib' package that ships it is not installed.",
        "Reinstall ecrf with its dependencies.",
        "未找到 CDISC ODM 1.3.2 schema：提供它的“odmlib”软件包未安装。",
        "请连同依赖一起重新安装 ecrf。"),
    "odm-schema-unreadable": M(
        "The CDISC ODM 1.3.2 schema at {path} cannot be read ({detail}).",
        "Reinstall ecrf with its dependencies.",
        "无法读取位于 {path} 的 CDISC ODM 1.3.2 schema（{detail}）。",
        "请连同依赖一起重新安装 ecrf。"),
}


def _verdict(en: str, zh: str) -> Message:
    return Message(en, "", zh, "")


V = _verdict
VERIFY_MESSAGES: dict[str, Message] = {
    # -- the zip (ecrf/export/verify/zip_safety.py) --------------------------------------------------------
    "zip-entry-damaged": V("{name}: damaged in the zip ({why})", "{name}：在 zip 中已损坏（{why}）"),
    "zip-entry-missing": V("{name}: not in the bundle", "{name}：不在数据包中"),
    "zip-entry-larger-than-declared": V(
        "{name}: holds more than the {size} bytes its header declares (a zip bomb trick); refused",
        "{name}：内容超过其文件头声明的 {size} 字节（zip 炸弹手法）；已拒绝"),
    "zip-entry-too-large": V("{name}: larger than {limit} bytes; refused as a possible zip bomb",
                             "{name}：大于 {limit} 字节；疑为 zip 炸弹，已拒绝"),
    "zip-entry-ratio": V("{name}: expands more than {ratio} times; refused as a possible zip bomb",
                         "{name}：解压后膨胀超过 {ratio} 倍；疑为 zip 炸弹，已拒绝"),
    "zip-total-too-large": V("{label}: expands to more than {limit} bytes in all; refused as a possible zip bomb",
                             "{label}：解压后总计超过 {limit} 字节；疑为 zip 炸弹，已拒绝"),
    "bundle-file-missing": V("{label}: no such file", "{label}：文件不存在"),
    "bundle-is-folder": V("{label}: is a folder, not a bundle zip", "{label}：是文件夹，不是数据包 zip 文件"),
    "bundle-file-empty": V("{label}: the file is empty; it is not a bundle (an interrupted copy?)",
                           "{label}：文件为空；不是数据包（复制被中断？）"),
    "bundle-not-zip": V("{label}: not a zip file, or truncated (its zip directory is missing or damaged: {why})",
                        "{label}：不是 zip 文件，或文件不完整（zip 目录缺失或损坏：{why}）"),
    "bundle-unreadable": V("{label}: cannot be read ({reason})", "{label}：无法读取（{reason}）"),
    "bundle-zip-unreadable": V("{label}: not a readable zip file ({why})", "{label}：不是可读取的 zip 文件（{why}）"),
    "zip-too-many-entries": V("{label}: has {count} entries, more than the {limit} a bundle may hold; refused",
                              "{label}：有 {count} 个条目，超过数据包允许的 {limit} 个；已拒绝"),
    "zip-entry-name-refused": V("{name}: {problem}; the bundle is refused", "{name}：{problem}；数据包已拒绝"),
    "zip-declared-too-large": V(
        "{label}: its entries declare {total} bytes in all, more than {limit}; refused as a possible zip bomb",
        "{label}：其条目声明的总大小为 {total} 字节，超过 {limit}；疑为 zip 炸弹，已拒绝"),
    "zip-file-and-folder": V("{name}: is both a file and a folder in the zip; the bundle is refused",
                             "{name}：在 zip 中既是文件又是文件夹；数据包已拒绝"),
    "zip-entries-overlap": V(
        "{name}: its data overlaps another entry or the zip directory (a zip bomb trick, or a damaged {label}); "
        "the bundle is refused",
        "{name}：其数据与其他条目或 zip 目录重叠（zip 炸弹手法，或 {label} 已损坏）；数据包已拒绝"),
    # -- bytes outside the members (ecrf/export/verify/zip_layout.py) ---------------------------------------
    "zip-structure-damaged": V("{label}: its zip structure is damaged ({why}); the bundle is refused",
                               "{label}：其 zip 结构已损坏（{why}）；数据包已拒绝"),
    "zip-bytes-before-first-entry": V(
        "{label}: {count} bytes before its first file (e.g. a script prepended to the zip); only the signed "
        "files may be in a bundle",
        "{label}：第一个文件之前有 {count} 字节（例如在 zip 前附加的脚本）；数据包中只能有已签名的文件"),
    "zip-bytes-after-end": V(
        "{label}: {count} bytes after the end of the zip directory (data appended to the zip); only the signed "
        "files may be in a bundle",
        "{label}：zip 目录结束之后还有 {count} 字节（附加在 zip 后的数据）；数据包中只能有已签名的文件"),
    "zip-comment": V("{label}: carries a zip comment of {count} bytes; a bundle carries none",
                     "{label}：带有 {count} 字节的 zip 注释；数据包不带任何注释"),
    "zip-end-record-mismatch": V(
        "{label}: its end-of-directory record does not agree with the zip directory ({what}); the zip was altered",
        "{label}：其目录结束记录与 zip 目录不一致（{what}）；zip 已被改动"),
    "zip64-end-unneeded": V("{label}: carries a zip64 end record that a zip of its size does not need; refused",
                            "{label}：带有其大小并不需要的 zip64 结束记录；已拒绝"),
    "zip-entry-comment": V("{name}: carries a comment in the zip directory; a bundle's files carry none",
                           "{name}：在 zip 目录中带有注释；数据包中的文件不带注释"),
    "zip-entry-extra-field": V(
        "{name}: its {header} carries an extra field ({field}); a bundle's files carry none but the zip64 sizes "
        "a large file needs",
        "{name}：其{header}带有额外字段（{field}）；数据包中的文件只带大文件所需的 zip64 大小字段"),
    "zip-entry-zip64-unneeded": V("{name}: its {header} carries zip64 sizes that a file of its size does not need",
                                  "{name}：其{header}带有该大小的文件并不需要的 zip64 大小字段"),
    "zip-entry-zip64-damaged": V(
        "{name}: the zip64 field of its {header} does not hold exactly the sizes and offset it should",
        "{name}：其{header}的 zip64 字段未准确包含应有的大小和偏移量"),
    "zip-entry-data-descriptor": V(
        "{name}: followed by a data descriptor; a bundle's files carry their sizes in their headers",
        "{name}：其后带有数据描述符；数据包中的文件在文件头中给出大小"),
    "zip-entry-no-local-header": V("{name}: no local header where the zip directory says the file starts",
                                   "{name}：在 zip 目录所指的文件起始位置没有本地文件头"),
    "zip-entry-header-mismatch": V(
        "{name}: its local header and the zip directory disagree on its {what}; the zip was altered",
        "{name}：其本地文件头与 zip 目录的{what}不一致；zip 已被改动"),
    "zip-gap-after-entry": V("{name}: followed by {count} bytes that belong to no file (hidden data?)",
                             "{name}：其后有 {count} 字节不属于任何文件（隐藏数据？）"),
    # -- the manifest (ecrf/export/verify/manifest.py) -----------------------------------------------------
    "manifest-not-utf8": V("{file}: not UTF-8 text; the file is damaged or not a bundle manifest",
                           "{file}：不是 UTF-8 文本；文件已损坏或不是数据包清单"),
    "manifest-not-json": V("{file}: not valid JSON (line {line}, column {column}: {detail})",
                           "{file}：不是有效的 JSON（第 {line} 行，第 {column} 列：{detail}）"),
    "trail-evidence-unreadable": V("{file}: cannot be read as the trail's evidence ({detail})",
                                   "{file}：无法作为稽查轨迹证据读取（{detail}）"),
    "manifest-too-deep": V("{file}: nested too deeply to be a bundle manifest", "{file}：嵌套过深，不是数据包清单"),
    "manifest-not-object": V("{file}: not a JSON object; this is not a bundle manifest",
                             "{file}：不是 JSON 对象；这不是数据包清单"),
    "manifest-wrong-format": V("{file}: its format is {format}, not {expected}; this is not an ecrf bundle",
                               "{file}：其格式为 {format}，而不是 {expected}；这不是 ecrf 数据包"),
    "manifest-bad-version": V("{file}: its format_version {version} is not a version number like '1.0'",
                              "{file}：其 format_version {version} 不是形如“1.0”的版本号"),
    "manifest-unsupported-version": V(
        "{file}: bundle format {version} is not supported by this ecrf, which reads {major}.x; use the ecrf "
        "version that made the bundle or a newer one",
        "{file}：本 ecrf 只能读取 {major}.x 格式，不支持数据包格式 {version}；"
        "请使用生成该数据包的 ecrf 版本或更新版本"),
    "manifest-no-certificate": V("{file}: site.certificate_sha256 is missing or not a SHA-256 fingerprint",
                                 "{file}：site.certificate_sha256 缺失或不是 SHA-256 指纹"),
    "manifest-no-files": V("{file}: has no 'files' list", "{file}：没有“files”列表"),
    "manifest-entry-no-path": V("{where} has no path", "{where} 没有路径"),
    "manifest-entry-twice": V("{where} lists {path} a second time", "{where} 重复列出了 {path}"),
    "manifest-entry-self": V("{where} lists {path}, which the manifest cannot vouch for",
                             "{where} 列出了 {path}，而清单无法为它担保"),
    "manifest-entry-no-sha256": V("{where} ({path}) has no valid SHA-256", "{where}（{path}）没有有效的 SHA-256"),
    "manifest-entry-no-size": V("{where} ({path}) has no valid size", "{where}（{path}）没有有效的大小"),
    # -- the bundle as a whole (ecrf/export/verify/bundle.py) ----------------------------------------------
    "bundle-unfinished": V(
        "{name}: an unfinished export (a {suffix} file is never a bundle, whatever it holds); delete it and "
        "export again",
        "{name}：未完成的导出（{suffix} 文件无论内容如何都不是数据包）；请删除它并重新导出"),
    "manifest-missing": V("{name}: missing; the bundle has no manifest", "{name}：缺失；数据包没有清单"),
    "signature-missing": V("{name}: missing; the bundle is not signed", "{name}：缺失；数据包未签名"),
    "bundle-member-too-large": V("{name}: {size} bytes, too large to be a bundle's {name}",
                                 "{name}：{size} 字节，作为数据包的 {name} 过大"),
    "manifest-edited": V(
        "{file}: not the bytes that {signature} signed (their SHA-256 differs): the manifest was edited after "
        "signing",
        "{file}：不是 {signature} 所签名的内容（SHA-256 不同）：清单在签名后被修改"),
    "signature-refused": V("{file}: {reason}", "{file}：{reason}"),
    "signature-certificate-mismatch": V(
        "{file}: signed by certificate {actual}, but the manifest names the site certificate {named}: the "
        "manifest was re-signed by another key, or the certificate swapped",
        "{file}：由证书 {actual} 签名，但清单指明的中心证书是 {named}：清单被其他密钥重新签名，或证书被替换"),
    # -- --trust and the signer's identity (ecrf/export/verify/trust.py) -------------------------------------
    "signer-names-other-site": V(
        "{file}: signed by the certificate of {signer}, but the manifest claims {claimed}: a bundle signed with "
        "another site's key",
        "{file}：由{signer}的证书签名，但清单声称来自{claimed}：数据包是用其他中心的密钥签名的"),
    "signer-not-trusted": V(
        "{file}: signed by certificate {fingerprint}, not by the trusted site certificate ({trusted}); this bundle "
        "was not signed by the registered site key",
        "{file}：由证书 {fingerprint} 签名，而不是由受信任的中心证书（{trusted}）签名；"
        "此数据包不是由已登记的中心密钥签名的"),
    "signer-not-registered": V(
        "{file}: signed by certificate {fingerprint}, which is not in the trust registry {registry}: the bundle was "
        "not signed by a registered site key (if this is the site's new certificate, check it with the site and "
        "register it with `ecrf trust add`)",
        "{file}：由证书 {fingerprint} 签名，该证书不在信任登记表 {registry} 中：数据包不是由已登记的中心密钥签名的"
        "（如这是中心的新证书，请与中心核对后用 `ecrf trust add` 登记）"),
    "signer-registered-elsewhere": V(
        "{file}: signed by certificate {fingerprint}, which the trust registry {registry} holds for {registered}, "
        "but the manifest claims {claimed}: a registered key signing for another site or installation",
        "{file}：由证书 {fingerprint} 签名，信任登记表 {registry} 中该证书登记于{registered}，"
        "但清单声称来自{claimed}：已登记的密钥为其他中心或安装签名"),
    "trust-file-missing": V("--trust {spec}: there is no such certificate file", "--trust {spec}：没有这个证书文件"),
    "trust-not-recognised": V(
        "--trust {spec}: neither a certificate file (PEM or DER) nor a SHA-256 fingerprint (64 hex digits, "
        "colons allowed), e.g. as printed by `ecrf site certificate`",
        "--trust {spec}：既不是证书文件（PEM 或 DER），也不是 SHA-256 指纹（64 位十六进制，可含冒号，"
        "例如 `ecrf site certificate` 打印的指纹）"),
    "trust-file-too-large": V("--trust {spec}: too large to be a certificate file",
                              "--trust {spec}：文件过大，不是证书文件"),
    "trust-file-unreadable": V("--trust {spec}: cannot be read ({reason})", "--trust {spec}：无法读取（{reason}）"),
    "trust-not-certificate": V(
        "--trust {spec}: not a certificate (PEM or DER); give the site's certificate file or its SHA-256 "
        "fingerprint",
        "--trust {spec}：不是证书（PEM 或 DER）；请给出中心的证书文件或其 SHA-256 指纹"),
    # -- manifest.sig (ecrf/export/bundle/manifest_sig.py); shown after "manifest.sig: " ----------------------
    "signature-malformed": V("it is malformed ({detail})", "签名格式错误（{detail}）"),
    "signature-not-signed-data": V("it is a CMS {content_type}, not a signature (SignedData)",
                                   "它是 CMS {content_type}，不是签名（SignedData）"),
    "signature-not-cms": V("it is not a CMS signature (DER SignedData); the file is damaged or was replaced",
                           "它不是 CMS 签名（DER SignedData）；文件已损坏或被替换"),
    "signature-version": V("it has SignedData version {version}, not v1 or v3",
                           "其 SignedData 版本为 {version}，不是 v1 或 v3"),
    "signature-content-type": V("it signs content of another type than data (the manifest bytes)",
                                "它签名的内容类型不是 data（清单字节）"),
    "signature-not-detached": V(
        "it carries content of its own; a bundle's signature must be detached (over manifest.json)",
        "它自带内容；数据包的签名必须是分离式的（针对 manifest.json）"),
    "signature-no-signer": V("it has no signer", "它没有签名者"),
    "signature-many-signers": V("it has {count} signers; a bundle is signed by its site alone",
                                "它有 {count} 个签名者；数据包只能由其中心签名"),
    "signature-signer-version": V(
        "its signer version does not fit how the signer is identified (RFC 5652 §5.3)",
        "其签名者版本与签名者的标识方式不符（RFC 5652 §5.3）"),
    "signature-no-certificate": V("it does not include the signer's certificate", "它不包含签名者的证书"),
    "signature-certificate-swapped": V(
        "the certificate it includes is not the one that signed (signer identifier differs); the certificate "
        "was swapped",
        "其包含的证书不是签名所用的证书（签名者标识不同）；证书被替换"),
    "signature-digest-refused": V("it uses the digest {name}; only SHA-256 (or SHA-384/512) is accepted",
                                  "它使用摘要算法 {name}；只接受 SHA-256（或 SHA-384/512）"),
    "signature-digest-unlisted": V("its list of digest algorithms does not name the signer's",
                                   "其摘要算法列表中没有签名者所用的算法"),
    "signature-attribute-twice": V("its signed attributes name the same attribute twice",
                                   "其签名属性中同一属性出现了两次"),
    "signature-no-message-digest": V("its signed attributes lack the message digest", "其签名属性缺少消息摘要"),
    "signature-content-type-missing": V("its signed content type is missing or not data",
                                        "其签名的内容类型缺失或不是 data"),
    "signature-manifest-changed": V(
        "manifest.json is not what was signed (its digest differs from the one signed): the manifest was "
        "edited after signing",
        "manifest.json 不是被签名的内容（其摘要与签名时不同）：清单在签名后被修改"),
    "signature-algorithm-refused": V(
        "it is a {algorithm} signature by a {key_type}; only ECDSA or RSA (PKCS #1 v1.5) signatures by the "
        "matching key are accepted",
        "它是由 {key_type} 生成的 {algorithm} 签名；只接受由匹配密钥生成的 ECDSA 或 RSA（PKCS #1 v1.5）签名"),
    "signature-invalid": V(
        "the signature does not verify with the included certificate's key: manifest.sig was damaged or forged, "
        "or its certificate swapped",
        "签名无法用其包含的证书密钥验证：manifest.sig 已损坏或伪造，或证书被替换"),
}
register("export", EXPORT_MESSAGES)
register("verify", VERIFY_MESSAGES)

"""Messages of the photos area (see auditapp.messages)."""

from __future__ import annotations

from auditapp.messages import T, Text

_COPY_AGAIN = ("请从相机或手机重新复制这张照片。", "Copy the photo again from the camera or phone.")
_NOTHING_STORED = (
    "这一批照片都未保存。请移除或替换该文件后重新导入。",
    "None of the photos of this batch were stored. Remove or replace that file and import again.",
)
_VERIFY = (
    "运行 auditapp photo verify 查看详情；可从备份副本恢复 photos 文件夹。",
    "Run 'auditapp photo verify'; restore the photos folder from a backup copy.",
)

MESSAGES: dict[str, Text] = {
    # -- a file given to import -------------------------------------------
    "photo.file_gone": T(
        "{name}：文件已不存在（{path}）",
        "{name}: the file no longer exists ({path})",
        hint=("文件是否被移动或删除，或存储卡已拔出？", "Was it moved or deleted, or is the memory card unplugged?"),
    ),
    "photo.not_a_file": T(
        "{name}：是{what}，不是照片文件",
        "{name}: is {what}, not a photo file",
        hint=_NOTHING_STORED,
    ),
    "photo.unreadable": T("{name}：无法读取（{reason}）", "{name}: cannot be read ({reason})", hint=_NOTHING_STORED),
    "photo.file_too_big": T(
        "{name}：文件有 {size}，超过了照片允许的 {limit}",
        "{name}: the file is {size}, more than the {limit} a photo may have",
        hint=(
            "这不像是一张照片（视频或磁盘映像？）。这一批照片都未保存；请移除该文件后重新导入。",
            "It does not look like a photo (a video or a disk image?). None of the batch was stored; remove it and import again.",
        ),
    ),
    "photo.empty": T("{name}：文件是空的（0 字节）", "{name}: the file is empty (0 bytes)", hint=_COPY_AGAIN),
    "photo.unsupported": T(
        "{name}：不是支持的照片格式（内容是{content}）",
        "{name}: not a supported photo (the content is {content})",
        hint=("支持 JPEG、PNG、WebP、HEIC/HEIF。这一批照片都未保存。",
              "Supported: JPEG, PNG, WebP, HEIC/HEIF. None of the photos of this batch were stored."),
    ),
    "photo.too_many_pixels": T(
        "{name}：{width}×{height} 像素，超过允许的 {limit} 百万像素（疑似解压炸弹，已拒绝）",
        "{name}: {width}×{height} pixels is more than the {limit} megapixels allowed (refused as a possible decompression bomb)",
        hint=("如果确实是超大扫描件，请先缩小后再导入。", "If it is a genuine huge scan, resize it before importing."),
    ),
    "photo.bomb": T(
        "{name}：图片声称超过 {limit} 百万像素（疑似解压炸弹，已拒绝）",
        "{name}: the picture claims more than {limit} megapixels (refused as a possible decompression bomb)",
        hint=("如果确实是超大扫描件，请先缩小后再导入。", "If it is a genuine huge scan, resize it before importing."),
    ),
    "photo.truncated": T("{name}：文件不完整（复制中断？）", "{name}: the file is truncated (incomplete copy?)", hint=_COPY_AGAIN),
    "photo.damaged": T(
        "{name}：{kind} 数据已损坏（{detail}）",
        "{name}: the {kind} data is damaged ({detail})",
        hint=_COPY_AGAIN,
    ),
    # -- the photo store ---------------------------------------------------
    "photo.file_missing": T(
        "照片文件 {sha}… 不在 {folder} 中",
        "photo file {sha}… is missing from {folder}",
        hint=_VERIFY,
    ),
    "photo.file_unreadable": T(
        "无法读取照片文件 {sha}…（{folder}）：{reason}",
        "cannot read photo file {sha}… in {folder}: {reason}",
        hint=_VERIFY,
    ),
    "photo.disk_full": T(
        "{folder} 所在磁盘已满，照片未保存",
        "the disk holding {folder} is full; the photo was not stored",
        hint=("请腾出空间（或移动数据文件夹）后重新导入。", "Free some space (or move the data folder) and import again."),
    ),
    "photo.store_unwritable": T(
        "无法写入照片库 {folder}：{reason}",
        "cannot write to the photo store {folder}: {reason}",
        hint=("请检查该文件夹的权限和可用空间。", "Check the folder's permissions and free space."),
    ),
    "photo.bad_hash": T(
        "照片文件名 {value} 不是有效的 SHA-256 校验值（记录已损坏或被篡改）",
        "{value} is not a SHA-256 hash, so it names no photo file (the record is damaged or forged)",
        hint=_VERIFY,
    ),
    "photo.quarantined": T(
        "有 {count} 个照片文件无法确认属于本数据库中断的导入，已移到隔离文件夹 {folder}（未删除）",
        "{count} photo file(s) could not be proven to belong to an interrupted import of this database; "
        "they were moved to the quarantine folder {folder} (not deleted)",
        hint=(
            "如果它们属于别的数据库（例如恢复备份之前的那个），可以把它们移回 photos 文件夹。",
            "If they belong to another database (the one before a backup was restored, say), move them back into the photos folder.",
        ),
    ),
    # -- attaching photos --------------------------------------------------
    "photo.not_found": T(
        "没有照片 {ref}",
        "no photo {ref}",
        cli=("用 auditapp photo list 体验记录 查看照片。", "'auditapp photo list VISIT' lists a visit's photos."),
    ),
    "photo.one_target": T(
        "照片只能附在一个检查项、问题或整改上，不能同时附在几个上",
        "attach a photo to one item, finding or rectification, not several",
        hint=("请只指定一个：检查项、问题或整改。", "Name only one: an item, a problem or a rectification."),
    ),
    "photo.finding_of_other_visit": T(
        "问题 {finding} 属于另一次体验记录",
        "finding {finding} belongs to another visit",
        hint=("请选择本次体验记录中的问题。", "Choose a problem of this visit."),
    ),
    "photo.rectification_not_found": T(
        "没有整改 {ref}",
        "no rectification {ref}",
        cli=("用 auditapp rectification list 查看整改。", "'auditapp rectification list' lists them."),
    ),
    "photo.unknown_kind": T(
        "未知的照片类别 {value}（可用：{choices}）",
        "unknown photo kind {value} (use one of: {choices})",
        hint=("请从列出的照片类型中选择一个。", "Use one of the photo kinds listed."),
    ),
    "photo.verify_mismatch": T(
        "{path}：内容的校验值 {actual}… 与文件名不符",
        "{path}: content hash {actual}… does not match its name",
        hint=("该文件已损坏或被改动；请从备份恢复照片文件夹。", "The file is damaged or was changed; restore the photo folder from a backup."),
    ),
    "photo.verify_missing": T(
        "照片 {photo}（{filename}）：文件 {sha}… 缺失",
        "photo {photo} ({filename}): file {sha}… is missing",
        hint=("请从备份恢复照片文件夹，或重新导入这张照片。", "Restore the photo folder from a backup, or import the photo again."),
    ),
    # -- annotation layers -------------------------------------------------
    "photo.bad_layer": T(
        "标注图层无效（位置 {where}）：{detail}",
        "invalid annotation layer at {where}: {detail}",
        hint=("每个图层是一个带 kind 的对象（rect、ellipse、redact、arrow、text），坐标为 0 到 1 的比例。",
              "Each layer is an object with a kind (rect, ellipse, redact, arrow, text) and coordinates as fractions from 0 to 1."),
    ),
    # -- a layers file a user names (photo annotate --layers) ----------------
    "photo.layers_unreadable": T(
        "图层文件 {path} 无法读取（{reason}）",
        "the layers file {path} cannot be read ({reason})",
        hint=("请检查文件名和权限。", "Check the file name and its permissions."),
    ),
    "photo.layers_not_a_file": T(
        "图层文件 {path} 不是普通文件（是文件夹、设备或管道）",
        "the layers file {path} is not a regular file (a folder, device or pipe)",
        hint=("请指定一个保存在磁盘上的 JSON 文件。", "Name a JSON file saved on disk."),
    ),
    "photo.layers_too_large": T(
        "图层文件 {path} 太大（上限 {limit_kb} KB）",
        "the layers file {path} is too large (the limit is {limit_kb} KB)",
        hint=("图层文件只含少量图层（最多 500 个），请确认选对了文件。",
              "A layers file holds a few layers (at most 500); check that this is the right file."),
    ),
    "photo.layers_not_utf8": T(
        "图层文件 {path} 不是 UTF-8 文本（第 {offset} 个字节处出错）",
        "the layers file {path} is not UTF-8 text (bad byte at offset {offset})",
        hint=("请用 UTF-8 编码重新保存该文件。", "Save the file again as UTF-8."),
    ),
    "photo.layers_not_json": T(
        "图层文件 {path} 不是有效的 JSON（第 {line} 行第 {column} 列：{reason}）",
        "the layers file {path} is not valid JSON (line {line}, column {column}: {reason})",
        hint=("图层文件应是一个 JSON 列表，例如 [{{\"kind\": \"redact\", \"x\": 0, \"y\": 0, \"w\": 1, \"h\": 1}}]。",
              "A layers file is a JSON list, e.g. [{{\"kind\": \"redact\", \"x\": 0, \"y\": 0, \"w\": 1, \"h\": 1}}]."),
    ),
    "photo.layers_not_finite": T(
        "图层文件 {path} 含有 {value}，这不是数字",
        "the layers file {path} holds {value}, which is not a number",
        hint=("坐标是 0 到 1 之间的数字，例如 0.25。", "Coordinates are numbers from 0 to 1, such as 0.25."),
    ),
    "photo.layers_too_deep": T(
        "图层文件 {path} 嵌套层数过多（超过 {limit} 层），无法读取",
        "the layers file {path} is nested too deeply to read (more than {limit} levels)",
        hint=("图层文件应是一个 JSON 列表，每个图层是一个对象。", "A layers file is a JSON list with one object per layer."),
    ),
    "photo.layers_not_list": T(
        "图层文件 {path} 的内容不是列表",
        "the layers file {path} does not hold a list",
        hint=("图层文件应是一个 JSON 列表，每个图层是一个对象。", "A layers file is a JSON list with one object per layer."),
    ),
}

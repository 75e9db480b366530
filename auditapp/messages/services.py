"""Messages of the services area (see auditapp.messages)."""

from __future__ import annotations

from auditapp.messages import T, Text

MESSAGES: dict[str, Text] = {
    # look-ups
    "lookup.ambiguous_prefix": T(
        "{what}编号前缀“{ref}”不唯一，可能是：{ids}……",
        "{what} id prefix '{ref}' is ambiguous ({ids} …)",
        hint=("请多输入几位编号。", "Give more characters of the id."),
    ),
    "institution.not_found": T(
        "找不到医疗机构“{ref}”",
        "no institution '{ref}'",
        cli=("用 auditapp institution list 查看全部机构。", "List them with 'auditapp institution list'."),
        gui=("请在首页左侧的机构列表中选择。", "Choose one in the institution list on the home screen."),
    ),
    "institution.name_ambiguous": T(
        "有 {count} 个医疗机构都叫“{ref}”",
        "{count} institutions are named '{ref}'",
        hint=("请改用机构编号。", "Use the institution's id instead."),
    ),
    "visit.not_found": T(
        "找不到体验记录“{ref}”",
        "no visit '{ref}'",
        cli=("用 auditapp visit list 查看全部体验记录。", "List visits with 'auditapp visit list'."),
        gui=("该记录可能已被删除；请在首页刷新后重新选择。", "It may have been deleted; refresh the home screen and choose again."),
    ),
    "finding.not_found": T(
        "找不到问题“{ref}”",
        "no problem '{ref}'",
        cli=("auditapp visit show VISIT 列出体验记录中的问题。", "'auditapp visit show VISIT' lists a visit's problems."),
        gui=("该问题可能已被删除；请刷新问题清单。", "It may have been deleted; refresh the problem list."),
    ),
    "plan.not_found": T(
        "找不到平面图“{ref}”",
        "no floor plan '{ref}'",
        cli=("auditapp plan list --institution X 列出机构的平面图。", "'auditapp plan list --institution X' lists them."),
    ),
    "pin.not_found": T(
        "找不到图钉“{ref}”",
        "no pin '{ref}'",
        cli=("auditapp pin list --plan P 列出平面图上的图钉。", "'auditapp pin list --plan P' lists a plan's pins."),
    ),
    "journey.step_not_found": T("找不到就诊环节记录“{ref}”", "no journey step '{ref}'",
        hint=("请用 auditapp journey list 体验记录 查看已有的环节。", "See auditapp journey list VISIT for the steps there are."),
    ),
    "visit.snapshot_missing": T(
        "数据库中缺少体验记录所用的检查表快照 {sha}",
        "the checklist snapshot {sha} this visit uses is missing from the database",
        hint=("数据库可能不完整：请从备份恢复，或从原电脑重新同步。", "The database may be incomplete: restore a backup or sync again from the original laptop."),
    ),
    "visit.item_not_in_visit": T(
        "检查项“{item}”不在体验记录 {visit} 中",
        "item '{item}' is not part of visit {visit}",
        cli=("auditapp visit show VISIT 列出本次的检查项；不适用于该机构的检查项不会列入。",
             "'auditapp visit show VISIT' lists the visit's items; an item that does not apply to this institution is not included."),
        gui=("不适用于该机构的检查项不会列入本次体验。", "Items that do not apply to this institution are not part of the visit."),
    ),
    # input
    "input.unknown_choice": T(
        "{what}“{value}”无效",
        "unknown {what} '{value}'",
        hint=("可选：{allowed}。", "Use one of: {allowed}."),
    ),
    "record.changed_elsewhere": T(
        "这条{what}在显示之后已被修改（{at}，可能是另一个窗口或命令行），本次修改未保存，以免覆盖",
        "this {what} was changed after it was shown ({at}, perhaps in another window or by a command); your change was not saved so as not to overwrite it",
        gui=("已重新载入最新内容；请核对后再修改。您输入的文字仍保留在输入框中。",
             "The newest version is shown now; check it and make your change again. What you typed is still in the box."),
        cli=("重新读取后再执行。", "Read it again and retry."),
    ),
    "settings.unreadable": T(
        "无法读取设置文件 {path}：{detail}",
        "the settings file {path} cannot be read: {detail}",
        hint=("请修正或删除该文件，程序将以默认设置启动。", "Fix or delete the file; the app then starts with default settings."),
    ),
    # institutions and departments
    "institution.name_missing": T(
        "医疗机构需要名称",
        "the institution needs a name",
        cli=("用 --name 给出机构名称。", "Give --name NAME."),
        gui=("请填写“机构名称”。", "Fill in the institution's name."),
    ),
    "institution.bad_level": T(
        "机构级别“{level}”无效",
        "unknown level {level}",
        hint=("请使用 1、2 或 3（一级/二级/三级）。", "Use 1, 2 or 3 (一级/二级/三级)."),
    ),
    "institution.name_taken": T(
        "已有名为“{name}”的医疗机构（{id}）",
        "an institution named '{name}' already exists ({id})",
        hint=("请换一个名称，或编辑已有的机构。", "Use another name, or edit the existing one."),
    ),
    "department.name_missing": T(
        "科室需要名称",
        "the department needs a name",
        cli=("用 --name 给出科室名称。", "Give --name NAME."),
        gui=("请填写科室名称。", "Fill in the department's name."),
    ),
    # visits
    "visit.inspector_missing": T(
        "体验记录需要填写体验人（检查人）姓名",
        "the visit needs an inspector name",
        cli=("用 --inspector 给出姓名。", "Give --inspector NAME."),
        gui=("请在“体验人”一栏填写姓名（可在“设置”中设定默认值）。", "Fill in the inspector's name (a default can be set in Settings)."),
    ),
    "visit.no_checklist": T("没有适用于“{institution}”的检查表", "no checklist applies to {institution}",
        hint=("请检查该机构的类型和等级，或检查表目录是否完整。", "Check the institution's kind and level, or that the checklist folder is complete."),
    ),
    "visit.checklist_not_applicable": T(
        "检查表“{checklist}”不适用于{institution}（{kind}）",
        "checklist '{checklist}' does not apply to {institution} ({kind})",
        cli=("auditapp checklists list 显示各检查表适用的机构类别。", "'auditapp checklists list' shows which kinds each checklist is for."),
    ),
    "visit.finalized": T(
        "体验记录 {visit}（{date}）已定稿，不能直接修改",
        "visit {visit} ({date}) is finalized and read-only",
        cli=("作为修改记录提交：加 --amend 并用 --reason 说明原因；修改会记入修改记录。",
             "Record the change as an amendment (--amend with --reason); it is kept in the change log."),
        gui=("如需更正，请点击“修改（需说明原因）”，填写原因后再修改。", "To correct it, click Amend (with a reason) and give the reason first."),
    ),
    "visit.no_binding_items": T(
        "“{institution}”所在地区（{region}）没有约束本机构的依据文件，不能只检查本地要求",
        "no source document binds {institution} ({region}), so a visit of local requirements only has no item",
        hint=("全部检查项对本机构都是参考（外地良好做法）。去掉“只检查本地要求”即可照常体验；如果地区填错了，请先更正机构的所在地区。",
              "Every item is reference (good practice written elsewhere) for this institution. Start the visit without "
              "the local-requirements-only option, or correct the institution's region first if it is wrong."),
        cli=("去掉 --binding-only 照常体验；地区填错时用 auditapp institution edit INSTITUTION --region 地区 更正。",
             "Leave out --binding-only; if the region is wrong, correct it with 'auditapp institution edit INSTITUTION --region REGION'."),
        gui=("取消勾选“只检查本地要求”即可照常体验；地区填错时请在“编辑机构”中更正“所在地区”。",
             "Untick “Local requirements only” to walk every item; if the region is wrong, correct it under Edit institution."),
    ),
    "visit.binding_needs_region": T(
        "“{institution}”没有填写所在地区，无法判断哪些检查项是本地要求",
        "{institution} has no region recorded, so no item can be told to be a local requirement",
        cli=("先用 auditapp institution edit INSTITUTION --region 地区 填写所在地区（例如 重庆市渝北区）。",
             "Record the region first: 'auditapp institution edit INSTITUTION --region REGION' (e.g. 重庆市渝北区)."),
        gui=("请先在“编辑机构”中选择或填写“所在地区”（例如 重庆市渝北区）。",
             "Choose or type the institution's region under Edit institution first (e.g. 重庆市渝北区)."),
    ),
    "visit.already_finalized": T("体验记录 {visit} 已经定稿", "visit {visit} is already finalized",
        hint=("已定稿的记录只能通过“修改”留痕更改。", "A finalized visit changes only through an amendment."),
    ),
    "visit.not_finalized": T(
        "体验记录 {visit} 尚未定稿，可以直接修改",
        "visit {visit} is not finalized; it can be edited directly",
        hint=("直接编辑该记录即可，无需修改留痕。", "Edit the visit directly; no amendment is needed."),
    ),
    "visit.amendment_reason_missing": T(
        "修改已定稿的体验记录需要说明原因",
        "an amendment of a finalized visit needs a reason",
        cli=("用 --reason 说明原因。", "Give --reason TEXT."),
        gui=("请填写修改原因。", "Give the reason for the amendment."),
    ),
    "answer.bad_value": T(
        "检查项 {item} 的数值“{value}”无效：{detail}",
        "value '{value}' for item {item}: {detail}",
        hint=("请按该检查项要求的形式填写（数字、分钟数或是/否）。", "Give the value in the form the item asks for (a number, minutes or yes/no)."),
    ),
    "finalize.unanswered": T("有 {count} 个检查项未作答", "{count} item(s) not answered",
        hint=("请先回答其余检查项，或标记为不适用。", "Answer the remaining items first, or mark them not applicable."),
    ),
    "finalize.missing_photo": T(
        "有 {count} 个不符合项缺少要求的照片：{items}",
        "{count} nonconformity(ies) lack the required photo: {items}",
        hint=("请为这些不符合项补拍照片后再定稿。", "Add a photo to each of these nonconformities, then finalize."),
    ),
    "finalize.missing_note": T(
        "有 {count} 个不符合项没有写明问题：{items}",
        "{count} nonconformity(ies) have no note saying what is wrong: {items}",
        hint=("请为这些不符合项写明问题后再定稿。", "Write what is wrong for each of these nonconformities, then finalize."),
    ),
    # findings
    "finding.text_missing": T(
        "问题需要描述",
        "a problem needs a description",
        cli=("用 --text 描述问题。", "Give --text TEXT."),
        gui=("请填写问题描述。", "Describe the problem."),
    ),
    "finding.from_answer": T(
        "这个问题来自检查项 {item} 的“不符合”作答",
        "this problem comes from a nonconforming answer to item {item}",
        hint=("请修改该检查项的作答，问题会随之更新。", "Change the answer instead; the problem follows it."),
    ),
    "finding.carried_copy": T(
        "这是从上次体验带入的复查项",
        "this is a re-check carried over from an earlier visit",
        hint=("请在原体验记录中修改该问题，或在整改页面处理它。", "Change the problem in its original visit, or work on it in the rectification page."),
    ),
    "finding.not_deleted": T("问题 {ref} 没有被删除", "problem {ref} is not deleted",
        hint=("只有已删除的问题才能恢复。", "Only a deleted problem can be restored."),
    ),
    # rectifications
    "rectification.missing": T("问题 {finding} 没有整改记录", "problem {finding} has no rectification",
        hint=("请先为该问题创建整改（例如设定期限）。", "Start its rectification first (set a deadline, for example)."),
    ),
    "rectification.unknown_action": T(
        "未知的整改操作“{action}”",
        "unknown rectification action '{action}'",
        hint=("可用操作：{allowed}。", "Use one of: {allowed}."),
    ),
    "rectification.action_not_allowed": T(
        "整改状态为“{status}”时不能“{action}”",
        "a rectification that is {status} cannot be given '{action}'",
        hint=("现在可以：{allowed}。", "What can be done now: {allowed}."),
    ),
    "rectification.action_not_for_role": T(
        "“{action}”不能由{role}进行",
        "'{action}' is not for the {role} to do",
        hint=("该操作由检查人员（院领导、督查人员）完成。", "The inspector (the leader or the bureau) does this."),
    ),
    "rectification.needs_measures": T(
        "“{action}”前需要写明整改措施",
        "'{action}' needs the measures taken",
        cli=("用 --measures 写明整改措施。", "Give --measures TEXT."),
        gui=("请先填写“整改措施”。", "Fill in the measures first."),
    ),
    "rectification.needs_evidence": T(
        "“{action}”需要依据：请添加整改后照片，或写明验收意见",
        "'{action}' needs something behind it: an after-photo or a verification note",
        cli=("先用 auditapp photo add … --rectification ID 添加整改后照片，或用 --note 写明验收意见。",
             "Add an after-photo first (auditapp photo add … --rectification ID) or give --note with the verification."),
        gui=("请添加整改后照片，或在“说明”中写明验收意见。", "Add an after-photo, or write the verification in the note."),
    ),
    "rectification.needs_reason": T(
        "“{action}”需要说明原因",
        "'{action}' needs a reason",
        cli=("用 --note 说明原因。", "Give --note TEXT."),
        gui=("请在“说明”中写明原因。", "Write the reason in the note."),
    ),
    "rectification.needs_new_deadline": T(
        "“{action}”需要给出新的整改期限",
        "'{action}' needs the new deadline asked for",
        cli=("用 --deadline YYYY-MM-DD 给出新期限。", "Give --deadline YYYY-MM-DD."),
        gui=("请选择新的整改期限。", "Choose the new deadline."),
    ),
    "rectification.extension_not_later": T(
        "申请延期至 {requested} 无效：新期限必须晚于原期限（{deadline}）且不早于今天",
        "an extension to {requested} makes no sense: the new deadline must be after the current one ({deadline}) and not in the past",
        hint=("请给出晚于当前期限且不早于今天的新期限。", "Give a new deadline later than the current one and not before today."),
    ),
    "rectification.status_not_reachable": T(
        "整改状态不能从“{status_from}”直接改为“{status_to}”",
        "a rectification cannot go from {status_from} to {status_to}",
        hint=("从“{status_from}”可以改为：{allowed}。", "From {status_from} it can go to: {allowed}."),
    ),
    # journey, plans, pins
    "journey.step_missing": T(
        "就诊环节需要名称",
        "a journey step needs a name",
        cli=("可用环节：{steps}；或用 --label 给出自定义环节名称。", "Use one of {steps}, or give --label for a step of your own."),
    ),
    "journey.unknown_step": T(
        "未知的就诊环节“{step}”",
        "unknown journey step '{step}'",
        cli=("可用环节：{steps}；或用 --label 给出自定义环节名称。", "Use one of {steps}, or give --label for a step of your own."),
        gui=("请为自定义环节填写名称。", "Give your own step a name."),
    ),
    "journey.no_such_wait": T(
        "本次没有“{first} → {second}”这一段有时限要求的计时",
        "this visit has no timed wait '{first} → {second}' with a target",
        hint=("请用 auditapp journey list 体验记录 查看有目标时长的等候。", "See auditapp journey list VISIT for the waits that have a target."),
    ),
    "journey.wait_within_target": T(
        "这段等候用时 {minutes} 分钟，未超过 {target} 分钟的要求，不是问题",
        "this wait took {minutes} min, within the {target} min target; it is not a problem",
        hint=("未超时的等候不必记为问题。", "A wait within its target need not be recorded as a problem."),
    ),
    "plan.name_missing": T(
        "平面图需要名称",
        "a floor plan needs a name",
        cli=("例如 --name 门诊楼一层。", "For example --name 门诊楼一层."),
        gui=("请填写平面图名称，例如“门诊楼一层”。", "Give the plan a name, such as 门诊楼一层."),
    ),
    "plan.no_image": T("这张平面图没有图片", "this floor plan has no image", hint=("请重新导入平面图。", "Import the plan again.")),
    "pin.outside_plan": T(
        "图钉位置（{x}, {y}）在平面图之外",
        "pin position ({x}, {y}) is outside the plan",
        hint=("x 和 y 是平面图宽度和高度的比例，取值 0 到 1。", "x and y are fractions of the plan's width and height, from 0 to 1."),
    ),
    "pin.other_institution": T(
        "该体验记录与平面图属于不同的医疗机构",
        "the visit and the floor plan belong to different institutions",
        hint=("请选择同一机构的平面图或体验记录。", "Choose a floor plan and a visit of the same institution."),
    ),
    "pin.item_needs_visit": T(
        "把图钉关联到检查项需要指明体验记录",
        "linking a pin to an item needs the visit",
        cli=("同时给出 --visit VISIT。", "Give --visit VISIT too."),
    ),
    "pin.plan_deleted": T("图钉所在的平面图已被删除", "the pin's floor plan was deleted", hint=("请先恢复平面图。", "Restore the floor plan first.")),
    "pin.aed_no_problem": T(
        "该 AED 的检查状态为“{status}”，不是需要整改的问题",
        "this AED's check status is '{status}', which is not a problem to fix",
        hint=("只有“故障”“未找到”“被遮挡”的 AED 才会转为问题。", "Only faulty, missing or blocked AEDs become problems."),
    ),
    # trash
    "trash.not_found": T(
        "回收站中没有“{ref}”",
        "nothing with id '{ref}' is in the trash",
        cli=("auditapp trash list 列出回收站内容（请使用完整编号）。", "'auditapp trash list' shows what is in the trash (use the full id)."),
    ),
    "trash.institution_deleted": T(
        "该体验记录所属的医疗机构“{institution}”也在回收站中",
        "the visit's institution '{institution}' is in the trash too",
        hint=("请先恢复该机构，其体验记录会一并恢复。", "Restore the institution first; its visits come back with it."),
    ),
    "trash.name_taken": T(
        "已有另一个名为“{name}”的医疗机构，不能恢复同名机构",
        "another institution is named '{name}' now, so this one cannot come back under that name",
        hint=("请先为现有机构改名。", "Rename the existing institution first."),
    ),
}

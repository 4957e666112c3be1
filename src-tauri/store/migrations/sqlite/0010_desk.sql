-- Version 10: a smoother day at the desk (issue 20).
-- The short reason of a delay application, for the register's 备注 and the requester's
-- message ("因<short reason>延期到M月D日交付"); empty: the first clause of the full reason.
ALTER TABLE delay_applications ADD COLUMN short_reason TEXT NOT NULL DEFAULT '';
-- The reason a 不做 may carry, to pass on to the requester (optional).
ALTER TABLE requirements ADD COLUMN decision_reason TEXT NOT NULL DEFAULT '';
-- How people were told is an editable list (通知方式), with 微信, 企业微信 and 钉钉 besides
-- OA, QQ, 电话, 当面 and 邮件; notices keep what people call the channel, not a code.
INSERT INTO list_items (list, value, sort) VALUES
    ('notice_channel', 'QQ', 1),
    ('notice_channel', '微信', 2),
    ('notice_channel', '企业微信', 3),
    ('notice_channel', '钉钉', 4),
    ('notice_channel', 'OA', 5),
    ('notice_channel', '电话', 6),
    ('notice_channel', '当面', 7),
    ('notice_channel', '邮件', 8);
UPDATE notifications SET channel = CASE channel
    WHEN 'oa' THEN 'OA'
    WHEN 'qq' THEN 'QQ'
    WHEN 'phone' THEN '电话'
    WHEN 'in_person' THEN '当面'
    WHEN 'email' THEN '邮件'
    ELSE channel END;

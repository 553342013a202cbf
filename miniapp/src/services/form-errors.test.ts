import { ApiError, toApiError } from './api-error';
import { formErrors, splitFormErrors } from './form-errors';

/** A 400 as the server sends it, with these `{ path, message }` details. */
const failed = (details: { path: string; message: string }[], code = 'VALIDATION_FAILED') =>
  toApiError(400, { error: { code, message: '提交的内容有误，请检查后重试', details } });

describe('formErrors', () => {
  it('puts each field issue under its form field, nested paths under the field they belong to', () => {
    const e = failed([{ path: '/body/name', message: '请填写名称' }, { path: '/body/contacts/0/phone', message: '手机号不正确' }]);
    expect(formErrors(e, ['name', 'contacts'])).toEqual({ name: '请填写名称', contacts: '手机号不正确' });
  });

  it('issues of fields the form does not show go under form, so the form never stays silent', () => {
    const e = failed([{ path: '/body/name', message: '请填写名称' }, { path: '/body/visitId', message: '走访不存在' }]);
    expect(formErrors(e, ['name'])).toEqual({ name: '请填写名称', form: '走访不存在' });
  });

  it('an error without field issues, or not an ApiError at all, is the form\'s message', () => {
    expect(formErrors(new ApiError('FORBIDDEN', '无权操作', 403), ['name'])).toEqual({ form: '无权操作' });
    expect(formErrors(new Error('boom'), ['name']).form).toMatch(/[\u4e00-\u9fff]/);
  });

  it('the first issue of a field wins', () => {
    const e = failed([{ path: '/body/roles/0', message: '第一条' }, { path: '/body/roles/1', message: '第二条' }]);
    expect(formErrors(e, ['roles'])).toEqual({ roles: '第一条' });
  });

  it('renames server fields to the form\'s (by first part or full path)', () => {
    const e = failed([{ path: '/body/amount', message: '金额不正确' }, { path: '/body/attachmentIds/0', message: '附件不存在' }]);
    expect(formErrors(e, ['amountWan', 'attachments'], { rename: { amount: 'amountWan', attachmentIds: 'attachments' } }))
      .toEqual({ amountWan: '金额不正确', attachments: '附件不存在' });
  });

  it('ties codes to fields, exactly or by prefix, only when the form shows that field', () => {
    const photo = new ApiError('PHOTO_INVALID', '照片格式不正确', 415);
    expect(formErrors(photo, ['photo'], { codes: { 'PHOTO_*': 'photo' } })).toEqual({ photo: '照片格式不正确' });
    expect(formErrors(photo, ['notes'], { codes: { 'PHOTO_*': 'photo' } })).toEqual({ form: '照片格式不正确' });
    const dept = new ApiError('TICKET_SAME_DEPARTMENT', '主办与协办不能相同', 400);
    expect(formErrors(dept, ['leadDepartmentId'], { codes: { TICKET_SAME_DEPARTMENT: 'leadDepartmentId' } })).toEqual({ leadDepartmentId: '主办与协办不能相同' });
  });

  it('repeated rows keep their full path when asked', () => {
    const e = failed([{ path: '/body/tasks/1/dueOn', message: '办结期限不正确' }, { path: '/body/tasks', message: '至少一项' }]);
    expect(formErrors(e, ['tasks'], { nested: ['tasks'] })).toEqual({ 'tasks.1.dueOn': '办结期限不正确', tasks: '至少一项' });
  });

  it('splitFormErrors separates the form\'s own message', () => {
    expect(splitFormErrors(failed([{ path: '/body/name', message: '请填写名称' }]), ['name'])).toEqual({ fields: { name: '请填写名称' } });
    expect(splitFormErrors(new ApiError('CONFLICT', '数据已被他人修改', 409), ['name'])).toEqual({ fields: {}, form: '数据已被他人修改' });
  });
});

import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const MISSING = '0190a4c8-0000-7000-8000-000000000000';

test('Accept-Language zh-CN answers the title and detail in Chinese, with the same code', async () => {
  const en = await t.admin().get(`/v1/customers/${MISSING}`);
  const zh = await t
    .admin()
    .get(`/v1/customers/${MISSING}`)
    .set('accept-language', 'zh-CN,zh;q=0.9,en;q=0.8');
  expect(en.status).toBe(404);
  expect(zh.status).toBe(404);
  expect(en.headers['content-language']).toBe('en');
  expect(zh.headers['content-language']).toBe('zh-CN');
  expect(zh.headers.vary).toMatch(/Accept-Language/);
  expect(en.body).toMatchObject({
    code: 'customer_not_found',
    title: 'Customer not found',
    detail: `No customer has id ${MISSING}.`,
  });
  expect(zh.body).toMatchObject({
    code: 'customer_not_found',
    type: en.body.type,
    title: '客户不存在',
    detail: `没有 id 为 ${MISSING} 的客户。`,
  });
});

test('validation, batch-row, auth and route problems speak Chinese too', async () => {
  const zh = () => t.admin().set('accept-language', 'zh-CN');
  const invalid = await zh().post('/v1/customers').send({ name: 7 });
  expect(invalid.status).toBe(400);
  expect(invalid.body.code).toBe('validation_failed');
  expect(invalid.body.title).toBe('请求校验失败');
  expect(invalid.body.detail).toContain('body/name');
  expect(invalid.body.detail).toMatch(/[\u4e00-\u9fff]/);

  const rows = await zh()
    .post('/v1/orders/batch')
    .send({
      items: [
        {
          externalId: 'O-1',
          customerExternalId: 'NOBODY',
          orderedAt: '2026-01-05T10:00:00Z',
          currency: 'CNY',
          amount: '10.00',
        },
      ],
    });
  expect(rows.status).toBe(422);
  expect(rows.body.code).toBe('customer_not_found');
  expect(rows.body.title).toBe('客户不存在');
  expect(rows.body.detail).toContain('body/items/0/customerExternalId');

  const anonymous = await t.http().get('/v1/customers').set('accept-language', 'zh');
  expect(anonymous.status).toBe(401);
  expect(anonymous.body.title).toBe('未认证');

  const route = await zh().get('/v1/nothing-here');
  expect(route.status).toBe(404);
  expect(route.body).toMatchObject({ code: 'route_not_found', title: '未找到' });
});

test('an unsupported language, or none, is answered in English', async () => {
  const fr = await t.admin().get(`/v1/customers/${MISSING}`).set('accept-language', 'fr-FR');
  expect(fr.headers['content-language']).toBe('en');
  expect(fr.body.title).toBe('Customer not found');
});

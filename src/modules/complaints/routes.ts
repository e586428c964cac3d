import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { expectedVersion, notModified, sendNotModified, setEtag } from '../../http/etag';
import { errorResponses, IdParams, IfMatchHeaders, NotModified, success } from '../../schemas/common';
import { actorOf } from '../events/actor';
import {
  Category,
  CategoryCreate,
  CategoryListQuery,
  CategoryPage,
  CategoryPatch,
  PlaceholderList,
} from './category-schemas';
import type { ComplaintCategoryService } from './category-service';
import { Complaint, ComplaintCreate, ComplaintListQuery, ComplaintPage, ComplaintPatch } from './schemas';
import type { ComplaintService } from './service';

export interface ComplaintRoutesOptions {
  complaints: ComplaintService;
  categories: ComplaintCategoryService;
}

const tags = ['complaints'];
const ComplaintRef = Type.Ref('Complaint');
const CategoryRef = Type.Ref('ComplaintCategory');

const complaintRoutes: FastifyPluginAsyncTypebox<ComplaintRoutesOptions> = async (
  app,
  { complaints, categories },
) => {
  app.addSchema(Complaint);
  app.addSchema(Category);

  app.get(
    '/complaint-categories/placeholders',
    {
      config: { scope: 'service:read' },
      schema: {
        operationId: 'listComplaintPlaceholders',
        summary: 'The placeholders a standard answer may use',
        description: 'Write each as `{{name}}`; any other name is refused when the template is saved.',
        tags,
        response: {
          200: success(PlaceholderList, 'Every placeholder with what it renders as.'),
          ...errorResponses(),
        },
      },
    },
    async () => categories.placeholders(),
  );

  app.post(
    '/complaint-categories',
    {
      config: { scope: 'service:write' },
      schema: {
        operationId: 'createComplaintCategory',
        summary: 'Create a complaint category with its standard answer',
        description:
          'The template is checked now: a placeholder not in the catalogue is 422 `unknown_placeholder` naming it. A taken name is 409.',
        tags,
        body: CategoryCreate,
        response: {
          201: success(CategoryRef, 'The new category, with its ETag; Location is its path.', {
            headers: ['location'],
          }),
          ...errorResponses('complaint_category_exists', 'unknown_placeholder'),
        },
      },
    },
    async (request, reply) => {
      const category = await categories.create(request.body, actorOf(request));
      setEtag(reply, category.version);
      reply.header('location', `/v1/complaint-categories/${category.id}`);
      return reply.code(201).send(category);
    },
  );

  app.get(
    '/complaint-categories',
    {
      config: { scope: 'service:read' },
      schema: {
        operationId: 'listComplaintCategories',
        summary: 'List complaint categories',
        tags,
        querystring: CategoryListQuery,
        response: {
          200: success(CategoryPage, 'A page of categories.'),
          ...errorResponses('invalid_cursor'),
        },
      },
    },
    async (request) => categories.list(request.query),
  );

  app.get(
    '/complaint-categories/:id',
    {
      config: { scope: 'service:read' },
      schema: {
        operationId: 'getComplaintCategory',
        summary: 'Read a complaint category',
        tags,
        params: IdParams,
        response: {
          200: success(CategoryRef, 'The category, with its ETag.'),
          304: NotModified,
          ...errorResponses('complaint_category_not_found'),
        },
      },
    },
    async (request, reply) => {
      const category = await categories.get(request.params.id);
      setEtag(reply, category.version);
      if (notModified(request, category.version)) return sendNotModified(reply, category.version);
      return category;
    },
  );

  app.patch(
    '/complaint-categories/:id',
    {
      config: { scope: 'service:write' },
      schema: {
        operationId: 'updateComplaintCategory',
        summary: 'Change a complaint category or its standard answer',
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        body: CategoryPatch,
        response: {
          200: success(CategoryRef, 'The category as changed, with its new ETag.'),
          ...errorResponses(
            'complaint_category_not_found',
            'complaint_category_exists',
            'unknown_placeholder',
          ),
        },
      },
    },
    async (request, reply) => {
      const category = await categories.patch(
        request.params.id,
        request.body,
        (v) => expectedVersion(request, v),
        actorOf(request),
      );
      setEtag(reply, category.version);
      return category;
    },
  );

  app.delete(
    '/complaint-categories/:id',
    {
      config: { scope: 'service:write' },
      schema: {
        operationId: 'deleteComplaintCategory',
        summary: 'Delete a complaint category no complaint is filed under',
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        response: {
          204: Type.Null({ description: 'Deleted; no body.' }),
          ...errorResponses('complaint_category_not_found', 'complaint_category_in_use'),
        },
      },
    },
    async (request, reply) => {
      await categories.delete(request.params.id, (v) => expectedVersion(request, v), actorOf(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/complaints',
    {
      config: { scope: 'service:write' },
      schema: {
        operationId: 'createComplaint',
        summary: 'File a complaint',
        description:
          "Numbered `C-<year>-<6 digits>`; the category's standard answer is rendered for this customer and stored as `standardAnswer`. An unknown customer is 422 `customer_not_found`, an unknown category 422 `complaint_category_not_found`.",
        tags,
        body: ComplaintCreate,
        response: {
          201: success(ComplaintRef, 'The filed complaint, with its ETag; Location is its path.', {
            headers: ['location'],
          }),
          ...errorResponses(
            'external_id_taken',
            '422:customer_not_found',
            '422:complaint_category_not_found',
            '422:product_not_found',
            '422:service_record_not_found',
            '422:order_not_found',
            'date_in_future',
            'invalid_rows',
          ),
        },
      },
    },
    async (request, reply) => {
      const complaint = await complaints.create(request.body, actorOf(request));
      setEtag(reply, complaint.version);
      reply.header('location', `/v1/complaints/${complaint.id}`);
      return reply.code(201).send(complaint);
    },
  );

  app.get(
    '/complaints',
    {
      config: { scope: 'service:read' },
      schema: {
        operationId: 'listComplaints',
        summary: 'List complaints',
        description: '`sort=-valueAtStake` serves first the customers the firm would lose most by losing.',
        tags,
        querystring: ComplaintListQuery,
        response: {
          200: success(ComplaintPage, 'A page of complaints matching the filters.'),
          ...errorResponses('invalid_cursor'),
        },
      },
    },
    async (request) => complaints.list(request.query),
  );

  app.get(
    '/complaints/:id',
    {
      config: { scope: 'service:read' },
      schema: {
        operationId: 'getComplaint',
        summary: 'Read a complaint',
        tags,
        params: IdParams,
        response: {
          200: success(ComplaintRef, 'The complaint, with its ETag.'),
          304: NotModified,
          ...errorResponses('complaint_not_found'),
        },
      },
    },
    async (request, reply) => {
      const complaint = await complaints.get(request.params.id);
      setEtag(reply, complaint.version);
      if (notModified(request, complaint.version)) return sendNotModified(reply, complaint.version);
      return complaint;
    },
  );

  app.patch(
    '/complaints/:id',
    {
      config: { scope: 'service:write' },
      schema: {
        operationId: 'updateComplaint',
        summary: 'Update a complaint or move its status',
        description:
          'Status moves: open -> in_progress | resolved | closed; in_progress -> open | resolved | closed; resolved -> closed | open | in_progress; closed -> open | in_progress. From resolved or closed back to open or in_progress is a reopen, counted in `reopenCount`. Any other move is 409 `illegal_transition` with the `allowed` targets.',
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        body: ComplaintPatch,
        response: {
          200: success(ComplaintRef, 'The complaint as changed, with its new ETag.'),
          ...errorResponses(
            'complaint_not_found',
            'illegal_transition',
            '422:product_not_found',
            '422:service_record_not_found',
            '422:order_not_found',
            'invalid_rows',
          ),
        },
      },
    },
    async (request, reply) => {
      const complaint = await complaints.patch(
        request.params.id,
        request.body,
        (v) => expectedVersion(request, v),
        actorOf(request),
      );
      setEtag(reply, complaint.version);
      return complaint;
    },
  );

  app.delete(
    '/complaints/:id',
    {
      config: { scope: 'service:write' },
      schema: {
        operationId: 'deleteComplaint',
        summary: 'Delete a complaint',
        description: 'Its number is not given out again.',
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        response: {
          204: Type.Null({ description: 'Deleted; no body.' }),
          ...errorResponses('complaint_not_found'),
        },
      },
    },
    async (request, reply) => {
      await complaints.delete(request.params.id, (v) => expectedVersion(request, v), actorOf(request));
      return reply.code(204).send(null);
    },
  );
};

export default complaintRoutes;

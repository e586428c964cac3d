import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { expectedVersion, notModified, sendNotModified, setEtag } from '../../http/etag';
import { decodeCursor } from '../../http/pagination';
import { errorResponses, IdParams, NotModified, success } from '../../schemas/common';
import { actorOf } from '../events/actor';
import {
  Contact,
  ContactCreate,
  ContactListQuery,
  ContactPage,
  ContactParams,
  ContactPatch,
} from './schemas';
import type { ContactService } from './service';

export interface ContactRoutesOptions {
  contacts: ContactService;
}

const tags = ['contacts'];
const ContactRef = Type.Ref('Contact');
const IfMatchHeaders = Type.Object({ 'if-match': Type.Optional(Type.String()) });

const contactRoutes: FastifyPluginAsyncTypebox<ContactRoutesOptions> = async (app, { contacts }) => {
  app.addSchema(Contact);

  app.post(
    '/customers/:id/contacts',
    {
      config: { scope: 'customers:write' },
      schema: {
        operationId: 'createContact',
        summary: 'Add a contact person to a customer',
        tags,
        params: IdParams,
        body: ContactCreate,
        response: {
          201: success(ContactRef, 'The new contact person, with its ETag; Location is its path.', {
            headers: ['location'],
          }),
          ...errorResponses('customer_not_found', 'not_an_organisation'),
        },
      },
    },
    async (request, reply) => {
      const contact = await contacts.create(request.params.id, request.body, actorOf(request));
      setEtag(reply, contact.version);
      reply.header('location', `/v1/customers/${contact.customerId}/contacts/${contact.id}`);
      return reply.code(201).send(contact);
    },
  );

  app.get(
    '/customers/:id/contacts',
    {
      config: { scope: 'customers:read' },
      schema: {
        operationId: 'listContacts',
        summary: "List a customer's contact persons",
        tags,
        params: IdParams,
        querystring: ContactListQuery,
        response: {
          200: success(ContactPage, "A page of the customer's contact persons."),
          ...errorResponses('customer_not_found', 'invalid_cursor'),
        },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const after = request.query.cursor ? decodeCursor(request.query.cursor, 'id') : undefined;
      return contacts.list(request.params.id, limit, after?.id);
    },
  );

  app.get(
    '/customers/:id/contacts/:contactId',
    {
      config: { scope: 'customers:read' },
      schema: {
        operationId: 'getContact',
        summary: 'Read a contact person',
        tags,
        params: ContactParams,
        response: {
          200: success(ContactRef, 'The contact person, with its ETag.'),
          304: NotModified,
          ...errorResponses('customer_not_found', 'contact_not_found'),
        },
      },
    },
    async (request, reply) => {
      const contact = await contacts.get(request.params.id, request.params.contactId);
      setEtag(reply, contact.version);
      if (notModified(request, contact.version)) return sendNotModified(reply, contact.version);
      return contact;
    },
  );

  app.patch(
    '/customers/:id/contacts/:contactId',
    {
      config: { scope: 'customers:write' },
      schema: {
        operationId: 'updateContact',
        summary: 'Update a contact person',
        tags,
        params: ContactParams,
        headers: IfMatchHeaders,
        body: ContactPatch,
        response: {
          200: success(ContactRef, 'The contact person as changed, with its new ETag.'),
          ...errorResponses('customer_not_found', 'contact_not_found'),
        },
      },
    },
    async (request, reply) => {
      const contact = await contacts.patch(
        request.params.id,
        request.params.contactId,
        request.body,
        (version) => expectedVersion(request, version),
        actorOf(request),
      );
      setEtag(reply, contact.version);
      return contact;
    },
  );

  app.delete(
    '/customers/:id/contacts/:contactId',
    {
      config: { scope: 'customers:write' },
      schema: {
        operationId: 'deleteContact',
        summary: 'Remove a contact person',
        tags,
        params: ContactParams,
        headers: IfMatchHeaders,
        response: {
          204: Type.Null({ description: 'Removed; no body.' }),
          ...errorResponses('customer_not_found', 'contact_not_found'),
        },
      },
    },
    async (request, reply) => {
      await contacts.remove(
        request.params.id,
        request.params.contactId,
        (version) => expectedVersion(request, version),
        actorOf(request),
      );
      return reply.code(204).send(null);
    },
  );
};

export default contactRoutes;

/**
 * The order's search attributes: operators find orders by the status they rest in and by customer in Temporal's
 * Web UI and CLI (`temporal workflow list --query "OrderStatus='AWAITING_PAYMENT'"`). The API lists orders from the
 * order table instead, because search attributes are only eventually consistent.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const ORDER_STATUS_ATTRIBUTE = defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD);
export const CUSTOMER_ID_ATTRIBUTE = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const ORDER_SEARCH_ATTRIBUTES = [ORDER_STATUS_ATTRIBUTE, CUSTOMER_ID_ATTRIBUTE];

import type { PageDef } from '../../pages.ts';
import { CatalogPage } from './CatalogPage.tsx';
import { ProductDetail } from './ProductDetail.tsx';
import { ProductList } from './ProductList.tsx';

export const pages: PageDef[] = [
  { path: '/products', navKey: 'products:nav.products', permission: 'products:read', element: ProductList, order: 150 },
  { path: '/products/catalog', navKey: 'products:nav.catalog', permission: 'products:read', element: CatalogPage, order: 160 },
  { path: '/products/:productId', permission: 'products:read', element: ProductDetail },
];
